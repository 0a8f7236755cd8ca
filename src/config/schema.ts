import { z } from 'zod';

/**
 * The validated configuration. Everything the process needs from the outside
 * world passes through here once, at start, so a typo fails loudly instead of
 * surfacing as odd behaviour hours later.
 */
export const MIN_SECRET_LENGTH = 32;

// Length and strength are checked in secrets.ts, so every weak secret is reported at once.
const secret = z.string();

const port = z.coerce.number().int().min(0).max(65535);

export const databaseSslModes = ['disable', 'require', 'verify-full'] as const;

export const configSchema = z
  .object({
    env: z.enum(['development', 'production', 'test']).default('development'),
    host: z.string().min(1).default('127.0.0.1'),
    port: port.default(3000),
    publicUrl: z.url({ protocol: /^https?$/ }).optional(),
    dataDir: z.string().min(1).default('./data'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    database: z
      .object({
        url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL').optional(),
        ssl: z.enum(databaseSslModes).default('disable'),
        sslCaFile: z.string().min(1).optional(),
        poolSize: z.coerce.number().int().min(1).max(100).default(10),
      })
      .strict()
      .default({ ssl: 'disable', poolSize: 10 }),
    secrets: z
      .object({
        /** Keys HMACs and signatures the server makes (setup links, later sessions and tokens). */
        serverSecret: secret.optional(),
        /** Root key for encryption at rest. */
        encryptionKey: secret.optional(),
      })
      .strict()
      .default({}),
    setupTokenTtlMinutes: z.coerce.number().int().min(1).max(7 * 24 * 60).default(24 * 60),
    securityTxt: z
      .object({
        /** Armored OpenPGP private key file used to sign every served security.txt. */
        signingKeyFile: z.string().min(1).optional(),
        signingKeyPassphrase: z.string().optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;

/** Configuration after secrets have been resolved (generated or checked). */
export type Config = Omit<ParsedConfig, 'secrets' | 'publicUrl'> & {
  publicUrl: string;
  secrets: { serverSecret: string; encryptionKey: string };
};
