/** Postmark: a `send` or `sendMail` on something imported from postmark sends an e-mail. */
import type { Library } from './library';

export const postmark: Library = { id: 'postmark', modules: ['postmark'], mail: { methods: ['sendMail', 'send'] } };
