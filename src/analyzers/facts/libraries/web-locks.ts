/** The Web Locks API: `navigator.locks.request(name, async () => …)`; `{ mode: 'shared' }` lets readers in together. */
import { ts } from '../../ts';
import { constantString, skipParens } from '../ast';
import type { Library } from './library';

export const webLocks: Library = {
  id: 'web-locks',
  lock: {
    global: { name: /^((window|self|globalThis)\.)?navigator\.locks$/, kind: { kind: 'LockManager', permits: 1 } },
    callback: {
      method: 'request',
      key: true,
      from: 1,
      exclusive: (call) => {
        const options = call.arguments.length > 2 ? skipParens(call.arguments[1]) : undefined;
        if (!options || !ts.isObjectLiteralExpression(options)) return true;
        return !options.properties.some(
          (property) =>
            ts.isPropertyAssignment(property) &&
            ts.isIdentifier(property.name) &&
            property.name.text === 'mode' &&
            constantString(property.initializer) === 'shared',
        );
      },
    },
    display: (_lock, keyText) => (keyText ? `the Web Lock ${keyText}` : 'a Web Lock'),
  },
};
