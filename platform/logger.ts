import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs; ids only, never phone numbers or message text. */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'sms-contracts',
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.phone', '*.password', '*.token'], censor: '[redacted]' },
  });
}
