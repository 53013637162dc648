/**
 * speedscope's file format (https://www.speedscope.app/file-format-schema.json): shared frames
 * and one or more profiles, each "sampled" (stacks with weights) or "evented" (open/close
 * events). The active profile is shown; the others are listed.
 */
import { ProfileError } from '../errors';
import { FrameTable, MODEL_UNITS_BY_NAME, StackTrie, TimelineRecorder, type Profile, type ProfileUnit } from '../model';
import { isObject, parseJson } from './json';

/** Factor from a speedscope unit to the model's, and the model's unit. */
const UNITS: Record<string, [number, ProfileUnit]> = { ...MODEL_UNITS_BY_NAME, none: [1, 'samples'] };

export function importSpeedscope(bytes: Buffer): Profile {
  const document = parseJson(bytes);
  if (!isObject(document) || !isObject(document.shared) || !Array.isArray(document.shared.frames) || !Array.isArray(document.profiles)) {
    throw new ProfileError('not a speedscope profile: "shared.frames" or "profiles" is missing');
  }
  const profiles = document.profiles as unknown[];
  if (profiles.length === 0) throw new ProfileError('the speedscope file holds no profiles');
  const active = typeof document.activeProfileIndex === 'number' && profiles[document.activeProfileIndex] ? document.activeProfileIndex : 0;
  const chosen = profiles[active];
  if (!isObject(chosen)) throw new ProfileError(`speedscope profile ${active} is not an object`);

  const frames = new FrameTable();
  const frameIndex = (document.shared.frames as unknown[]).map((frame, index) => {
    if (!isObject(frame) || typeof frame.name !== 'string') throw new ProfileError(`speedscope frame ${index} has no name`);
    // speedscope's lines and columns are 1-based already.
    return frames.add(frame.name, typeof frame.file === 'string' ? frame.file : '', positive(frame.line), positive(frame.col));
  });
  const unitName = typeof chosen.unit === 'string' ? chosen.unit : 'none';
  const unit = UNITS[unitName];
  if (!unit) throw new ProfileError(`speedscope profile ${active} has unknown unit "${unitName}"`);
  const [factor, modelUnit] = unit;
  const frameAt = (value: unknown, where: string): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= frameIndex.length) {
      throw new ProfileError(`${where} refers to frame ${String(value)}, which is not in "shared.frames"`);
    }
    return frameIndex[value];
  };

  const trie = new StackTrie();
  // Both kinds are sequences in time: samples in the order listed, events by their "at".
  const timeline = new TimelineRecorder();
  let samples = 0;
  if (chosen.type === 'sampled') {
    if (!Array.isArray(chosen.samples) || !Array.isArray(chosen.weights) || chosen.samples.length !== chosen.weights.length) {
      throw new ProfileError(`speedscope profile ${active} needs "samples" and "weights" of the same length`);
    }
    const weights = chosen.weights as unknown[];
    (chosen.samples as unknown[]).forEach((stack, at) => {
      if (!Array.isArray(stack)) throw new ProfileError(`speedscope sample ${at} is not a list of frames`);
      let node = -1;
      for (const frame of stack) node = trie.child(node, frameAt(frame, `speedscope sample ${at}`));
      const weight = weights[at];
      if (typeof weight !== 'number' || !(weight >= 0)) throw new ProfileError(`speedscope weight ${at} is not a number ≥ 0`);
      if (node >= 0) {
        trie.addSelf(node, weight * factor, 1);
        timeline.add(node, weight * factor);
      }
      samples++;
    });
  } else if (chosen.type === 'evented') {
    if (!Array.isArray(chosen.events)) throw new ProfileError(`speedscope profile ${active} has no "events"`);
    const stack: Array<{ node: number; frame: number }> = [];
    let last = typeof chosen.startValue === 'number' ? chosen.startValue : undefined;
    (chosen.events as unknown[]).forEach((event, at) => {
      if (!isObject(event) || typeof event.at !== 'number') throw new ProfileError(`speedscope event ${at} has no "at"`);
      if (last !== undefined && stack.length > 0 && event.at > last) {
        trie.addSelf(stack[stack.length - 1].node, (event.at - last) * factor, 1);
        timeline.add(stack[stack.length - 1].node, (event.at - last) * factor);
        samples++;
      }
      last = event.at;
      const frame = frameAt(event.frame, `speedscope event ${at}`);
      if (event.type === 'O') stack.push({ node: trie.child(stack.length > 0 ? stack[stack.length - 1].node : -1, frame), frame });
      else if (event.type === 'C') {
        if (stack.length === 0 || stack[stack.length - 1].frame !== frame)
          throw new ProfileError(`speedscope event ${at} closes a frame that is not open`);
        stack.pop();
      } else throw new ProfileError(`speedscope event ${at} has type ${JSON.stringify(event.type)} (expected "O" or "C")`);
    });
  } else throw new ProfileError(`speedscope profile ${active} has type ${JSON.stringify(chosen.type)} (expected "sampled" or "evented")`);

  const { tree, newIndex } = trie.toIndexedTree();
  let total = 0;
  for (let node = 0; node < tree.size; node++) total += tree.self[node];
  const threads = profiles.map((profile, index) => ({
    name: isObject(profile) && typeof profile.name === 'string' ? profile.name : `profile ${index}`,
    samples: isObject(profile)
      ? Array.isArray(profile.samples)
        ? profile.samples.length
        : Array.isArray(profile.events)
          ? profile.events.length
          : 0
      : 0,
    selected: index === active,
  }));
  const notes = threads.length > 1 ? [`the file holds ${threads.length} profiles; showing "${threads[active].name}"`] : [];
  return {
    format: 'speedscope',
    unit: modelUnit,
    frames: frames.frames,
    tree,
    lineTicks: undefined,
    timeline: timeline.finish(newIndex),
    total,
    samples,
    threads: threads.length > 1 ? threads : [],
    notes,
  };
}

function positive(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0;
}
