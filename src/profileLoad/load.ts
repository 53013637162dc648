/**
 * What a profile-loading worker does: read the file, resolve its frames through source maps
 * (reading only inside the given roots), and build the view's data and its lines' self weights. vscode-free and synchronous,
 * so the CLI's tests and the worker run the very same steps.
 */
import { ProfileError } from '../profiles/errors';
import { computeHotspots } from '../profiles/hotspots';
import { loadProfileFile } from '../profiles/load';
import { ReadScope } from '../profiles/readScope';
import { resolveFrames } from '../profiles/resolve';
import { SourceMaps } from '../profiles/sourcemaps';
import { profileViewData } from '../profileView/data';
import type { LineWeight } from '../profileView/lineHeat';
import { lineFunctions } from './lineFunctions';
import type { LoadRequest, LoadResponse } from './protocol';

/**
 * The answer to `request`: the view's data, or the one-line reason the profile cannot be shown
 * (a ProfileError's message, as the CLI prints it; anything else is a bug, named as one).
 */
export function answerLoad(request: LoadRequest): LoadResponse {
  try {
    const profile = loadProfileFile(request.file);
    const scope = new ReadScope(request.readRoots);
    const sourceMaps = new SourceMaps(request.root, scope);
    const resolution = resolveFrames(profile, { root: request.root, sourceMaps });
    const data = profileViewData(profile, resolution);
    // As the CLI says it: which file the profile named outside the roots, and that it was not read.
    const refused = scope.note();
    if (refused) data.summary.notes.push(refused);
    // Each line's self weight, for the editor's line heat: only lines of files on this machine.
    const lines: LineWeight[] = [];
    const functionOfLine = lineFunctions(profile, resolution);
    for (const { id, self } of computeHotspots(profile, resolution).lines) {
      const { path, line } = resolution.lines[id];
      if (path !== undefined && self > 0) lines.push({ path, line, self, fn: functionOfLine.get(id) ?? -1 });
    }
    return { type: 'loaded', data, lines };
  } catch (error) {
    if (error instanceof ProfileError) return { type: 'failed', message: error.message };
    const reason = error instanceof Error ? error.message : String(error);
    return { type: 'failed', message: `PerfLens could not read this profile (an internal error: ${reason})` };
  }
}
