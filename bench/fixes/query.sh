#!/bin/sh
# The search behind bench/fixes/corpus.json (issue 14). Prints one line per hit:
#   <owner/name> <sha> <author date> <subject>
# newest first, for every repository listed in REPOS below, pinned at the HEAD recorded in QUERIES.md.
# Usage: sh bench/fixes/query.sh [mirrors root, default /work/.mirror]      (version 1, the main query)
#        QUERY_VERSION=2 sh bench/fixes/query.sh [mirrors root]              (version 2, blocking sync calls)
#        QUERY_VERSION=3 sh bench/fixes/query.sh [mirrors root]              (version 3: version 2 on four more repositories)
set -eu
MIRRORS="${1:-${PERFLENS_MIRRORS:-/work/.mirror}}"
VERSION="${QUERY_VERSION:-1}"
# version 1: the commit message speaks of a performance problem
PATTERN='n ?\+ ?1|batch(ed|ing)? (quer|load|insert|updat|fetch|select|writ)|promise\.all|quadratic|O\(n|perf(ormance)?[:(]|performance|slow|faster|speed ?up|sync(hronous)? (read|write|i/?o|fs|call)|readFileSync|memory leak|leak|deadlock|lock contention|cache'
# version 2: the diff adds or removes a blocking *Sync call of Node's core modules, and the message speaks
# of cost, blocking or going async
SYNC_CALLS='(readFileSync|writeFileSync|appendFileSync|existsSync|statSync|lstatSync|readdirSync|mkdirSync|rmSync|unlinkSync|copyFileSync|renameSync|accessSync|realpathSync|execSync|execFileSync|spawnSync|gzipSync|gunzipSync|inflateSync|deflateSync|brotliCompressSync|brotliDecompressSync|pbkdf2Sync|scryptSync|randomFillSync)\('
SYNC_MESSAGE='perf|slow|fast|block|event.?loop|async|sync|non-?blocking|stall|latency'
while read -r repo head; do
  case "$repo" in ''|'#'*) continue ;; esac
  gitdir="$MIRRORS/$(echo "$repo" | tr / +)/repo"
  case "$VERSION:$repo" in
    3:typeorm/*|3:knex/*|3:Automattic/*|3:taskforcesh/*|3:outline/*|3:documenso/*|3:renovatebot/*|3:Unleash/*|3:opencollective/*|3:langfuse/*|3:growthbook/*) continue ;;
    1:ether/*|1:laurent22/*|1:cnpm/*|1:advplyr/*|2:ether/*|2:laurent22/*|2:cnpm/*|2:advplyr/*) continue ;;
  esac
  if [ "$VERSION" = 1 ]; then
    git --git-dir="$gitdir" log "$head" --no-merges -i -E --grep="$PATTERN" \
      --format="$repo %H %as %s" -- '*.ts' '*.tsx' '*.js' '*.mjs' '*.cjs' \
      ':(exclude)*.test.*' ':(exclude)*.spec.*' ':(exclude)*.d.ts'
  else
    git --git-dir="$gitdir" log "$head" --no-merges -i -E --grep="$SYNC_MESSAGE" -G"$SYNC_CALLS" \
      --format="$repo %H %as %s" -- '*.ts' '*.tsx' '*.js' '*.mjs' '*.cjs' \
      ':(exclude)*.test.*' ':(exclude)*.spec.*' ':(exclude)*.d.ts' ':(exclude)test/*' ':(exclude)tests/*' \
      ':(exclude)*__tests__*' ':(exclude)*__mocks__*'
  fi
done <<'REPOS'
typeorm/typeorm 281bfba42a5813b106bcf5ba79bc7f7251bd1e73
knex/knex e25d54bcb707714a17f5a5744eba5c4246bb4d1d
Automattic/mongoose 3e212cec87dbf710216a3c6125121aefa60a4475
taskforcesh/bullmq 352d3c72bf2bc5ec851630a4cdcba7d44c313ed0
outline/outline d77dcdf853868c5d5fe125c895c9b71f0eff5c68
documenso/documenso 75330166cc00b29c14399bc2e391e4b4d8080c00
renovatebot/renovate c2dd4f856f068eeda4c10afc3752c35fe1f6cab1
Unleash/unleash ceeb5a9ca6d0beb0cabf041d6a27ffd2d6501859
opencollective/opencollective-api e3f35f58970e39eeaa678a8990dfd72d0e71a9ce
langfuse/langfuse 62751446149b702b419a9292ddfc2280cdf74b8c
growthbook/growthbook 8f1db4456915a8e7b7faf23d5632ca7219d2f469
ether/etherpad-lite b827f5b3d93bc79fc9014c7d9f8b900956b8af65
laurent22/joplin db966f919ea51f5f32fa454a10c7a64957a4e9de
cnpm/cnpmcore 30877b2b50a8d1517c01bf7b7f330a95c12813ca
advplyr/audiobookshelf 1b46d68027f3dcd88a4ef596fe6d005541fea3c6
REPOS
