// esbuild inlines only this field of package.json into dist/cli.js, so the bundle needs no package.json at run time.
import { version } from '../../package.json';

export const VERSION: string = version;
