/** DynamoDB (AWS SDK v3): `client.send(new GetItemCommand(…))` with the command imported from the SDK. */
import { ts } from '../../ts';
import { skipParens } from '../ast';
import { deeper, o, v, type ClientCallNode, type ClientKind, type Ctx, type StepResult } from '../clients/model';
import type { Library } from './library';

/** `anything.send(new GetItemCommand(…))`: the command's name says what it does. */
function sendCommand(call: ClientCallNode, anchor: number, ctx: Ctx): StepResult {
  if (!ts.isCallExpression(call)) return undefined;
  const first = call.arguments[0] ? skipParens(call.arguments[0]) : undefined;
  if (!first || !ts.isNewExpression(first) || !ts.isIdentifier(first.expression)) return undefined;
  const command = ctx.nameValue(first.expression.text, first.expression, deeper(ctx));
  if (!command || command.lib !== 'dynamodb' || command.role !== 'command' || !command.name) return undefined;
  const name = command.name.replace(/Command$/, '');
  const kind: ClientKind = /^(Get|GetItem|BatchGet|BatchGetItem|Query|Scan|TransactGet|TransactGetItems|Describe)/.test(name)
    ? 'query'
    : 'write';
  return o({ lib: 'dynamodb', kind, method: command.name, anchor });
}

export const dynamodb: Library = {
  id: 'dynamodb',
  modules: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'],
  client: {
    anchors: ['send'],
    imported: ({ name }) => {
      if (name.endsWith('Command')) return { lib: 'dynamodb', role: 'command', name };
      if (name === 'DynamoDBClient' || name === 'DynamoDBDocumentClient' || name === 'DynamoDB')
        return { lib: 'dynamodb', role: 'class', name };
      return undefined;
    },
    construct: (made) => (made.role === 'class' ? { lib: 'dynamodb', role: 'client' } : undefined),
    call: (val, name, call, anchor, ctx) => {
      if (val.role === 'class' && name === 'from') return v({ lib: 'dynamodb', role: 'client' });
      if (val.role === 'client' && name === 'send') return sendCommand(call, anchor, ctx);
      return undefined;
    },
    typeReference: ({ right, fromLibrary }) =>
      fromLibrary && /^DynamoDB(Document)?Client$/.test(right) ? { lib: 'dynamodb', role: 'client' } : undefined,
    byShape: ({ method, call, anchor, ctx }) => {
      if (method !== 'send' || !call) return undefined;
      const result = sendCommand(call, anchor, ctx);
      return result && 'op' in result ? result.op : undefined;
    },
  },
  batching: {
    methods: ['batch', 'batchGet', 'batchWrite'],
    describe: (op) => {
      if (/^Get(Item)?Command$/.test(op.method))
        return op.method.startsWith('GetItem') ? 'BatchGetItemCommand (100 keys a call)' : 'BatchGetCommand (100 keys a call)';
      if (/^(Put|Delete)(Item)?Command$/.test(op.method))
        return op.method.endsWith('ItemCommand') ? 'BatchWriteItemCommand (25 items a call)' : 'BatchWriteCommand (25 items a call)';
      return undefined;
    },
  },
};
