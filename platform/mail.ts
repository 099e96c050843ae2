/**
 * E-mail over SMTP (SMTP_URL: `smtp://user:pass@host:port`, `smtps://…` for
 * TLS from the start; a plain `smtp://` upgrades with STARTTLS where the
 * server offers it), through nodemailer: subjects and bodies in UTF-8, the
 * headers encoded by it (RFC 2047), so a Chinese subject arrives intact.
 *
 * Without SMTP_URL there is no mailer and nothing is e-mailed: the console
 * still shows every work item (activities/staff-deliveries.ts).
 */
import { createTransport, type Transporter } from 'nodemailer';

export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  /** makes a stable Message-ID (`<key@the From domain>`): a receiving system that sees it twice can tell */
  key: string;
};

export type MailSent = { messageId: string; response: string };

export type Mailer = {
  /** resolves when the SMTP server accepted the message; rejects with its answer otherwise */
  send(message: MailMessage): Promise<MailSent>;
  close(): void;
};

export type MailSettings = {
  /** smtp:// or smtps:// */
  url: string;
  /** the From header: an address, or `Name <address>` */
  from: string;
  /** per-connection timeouts (ms): a server that hangs fails the attempt, which is tried again later */
  timeoutMs?: number;
};

/** The domain of a From header (`Name <a@b.example>` or `a@b.example`), for Message-IDs. */
export function fromDomain(from: string): string {
  const match = /@([^>\s@]+)>?\s*$/.exec(from);
  return match ? match[1]!.toLowerCase() : 'localhost';
}

export function createMailer(settings: MailSettings): Mailer {
  const timeout = settings.timeoutMs ?? 30_000;
  const domain = fromDomain(settings.from);
  // the URL's parts (scheme, credentials, host, port, query options) with timeouts of our own
  const transport: Transporter = createTransport({ url: settings.url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  return {
    async send(message) {
      const messageId = `<${message.key.replace(/[^A-Za-z0-9.\-_]/g, '.')}@${domain}>`;
      const info = await transport.sendMail({
        from: settings.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId,
        textEncoding: 'base64',
      });
      return { messageId: String(info.messageId ?? messageId), response: String(info.response ?? '') };
    },
    close: () => transport.close(),
  };
}
