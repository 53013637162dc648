/** nodemailer: `transporter.sendMail(…)` sends an e-mail over SMTP. */
import type { Library } from './library';

export const nodemailer: Library = {
  id: 'nodemailer',
  modules: ['nodemailer'],
  // The transporter may be made anywhere in the file: in a file that imports nodemailer, any `sendMail` is one.
  mail: { methods: ['sendMail', 'send'], anyReceiver: ['sendMail'] },
};
