/** Resend: `resend.emails.send(…)` sends an e-mail. */
import type { Library } from './library';

export const resend: Library = { id: 'resend', modules: ['resend'], mail: { methods: ['sendMail', 'send'] } };
