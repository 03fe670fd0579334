import { MailConfig } from '@shipei/core';
import { createTransport, Transporter } from 'nodemailer';
import { Outgoing, Sender } from './channel';

/**
 * E-mail through SMTP (nodemailer), pooled so a batch of hundreds reuses a few connections.
 * The Message-ID is the delivery's, so a resend after a crash is recognisable as the same mail.
 */
export class EmailSender implements Sender {
  private readonly transport: Transporter;

  constructor(private readonly config: MailConfig) {
    this.transport = createTransport(config.smtpUrl, {
      pool: true,
      maxConnections: 8,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    } as object);
  }

  async send(o: Outgoing): Promise<void> {
    await this.transport.sendMail({
      from: this.config.from,
      to: o.recipient,
      subject: o.title,
      text: o.link ? `${o.body}\n\n${o.link}` : o.body,
      messageId: `<delivery-${o.deliveryId}@shipei>`,
    });
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
