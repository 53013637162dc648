/** SendGrid: `sgMail.send(…)` sends an e-mail. */
import type { Library } from './library';

export const sendgrid: Library = { id: 'sendgrid', modules: ['@sendgrid/mail'], mail: { methods: ['sendMail', 'send'] } };
