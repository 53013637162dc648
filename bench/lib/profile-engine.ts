// The profile engine as the profile suite's child processes load it: bundled by the suite with
// esbuild exactly as dist/cli.js bundles it, so the bench times the shipped code.
export { loadProfileFile } from '../../src/profiles/load';
export { resolveFrames } from '../../src/profiles/resolve';
export { bottomUp, callersAndCallees, computeHotspots } from '../../src/profiles/hotspots';
// The profile view's model, timed by the profile-view suite, and the profile it is timed on.
export { profileViewData } from '../../src/profileView/data';
export { hiddenFunctions } from '../../src/profileView/myCode';
export { foldTree } from '../../src/profileView/viewTree';
export { leftHeavyLayout, timelineLayout, visibleNodes } from '../../src/profileView/flame';
export { functionTable, sortRows } from '../../src/profileView/table';
export { sandwich } from '../../src/profileView/sandwich';
export { generatedCpuProfile } from './generated-profile';
// Opening a profile in the editor, as the extension host does it: the reading worker
// (dist/profileWorker.js) and the session that sends the page the model in chunks.
export { loadInWorker } from '../../src/profileLoad/client';
export { ProfileSession } from '../../src/views/profileSession';
// The profile view's page as the editor serves it, and the messages that carry the model to it:
// the profile-view suite drives the real page (dist/webview.js) in Chromium with them.
export { modelMessages } from '../../src/profileView/modelChunks';
export { profileViewHtml } from '../../src/views/profileHtml';
