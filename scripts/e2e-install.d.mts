// Types of scripts/e2e-install.mjs, for the e2e harness (TypeScript).
export const CODE_SERVER_VERSION: string;
export const NODE_VERSION: string;
export interface Installation {
  root: string;
  marker: string;
  nodePackage: string;
  nodeBin: string;
  node: string;
  codeServer: string;
}
export function cacheRoot(): string;
export function installation(root?: string): Installation;
export function isInstalled(paths?: Installation): boolean;
export function install(options?: { force?: boolean }): Installation;
