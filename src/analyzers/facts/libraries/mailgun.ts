/** Mailgun (mailgun.js): a `send` or `sendMail` on something imported from it sends an e-mail. */
import type { Library } from './library';

export const mailgun: Library = { id: 'mailgun', modules: ['mailgun.js'], mail: { methods: ['sendMail', 'send'] } };
