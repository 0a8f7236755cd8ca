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
    /** The embedded database refuses writes below this much free space in dataDir (storage/free-space-guard.ts); 0 turns the guard off. */
    minFreeDiskMb: z.coerce.number().int().min(0).max(1024 * 1024).default(256),
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
        /** Root key for encryption at rest: the active key, new values are sealed under it. */
        encryptionKey: secret.optional(),
        /** Keys replaced by a rotation, kept only to open values not yet re-encrypted (comma-separated in the environment). */
        previousEncryptionKeys: z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((k) => k.trim()).filter(Boolean) : v), z.array(secret).default([])),
        /**
         * Encrypts `embargo backup` files: 32 random bytes in base64. Never generated: a key kept only next to
         * the data it protects is lost with that disk, so the operator must hold it outside the instance.
         */
        backupKey: z
          .string()
          .refine((v) => /^[A-Za-z0-9+/_-]{43}=?$/.test(v) && Buffer.from(v, 'base64').length === 32, 'must be 32 random bytes in base64; generate one with `openssl rand -base64 32`')
          .optional(),
      })
      .strict()
      // prefault, not default: the inner defaults (previousEncryptionKeys) must apply when no secrets are configured.
      .prefault({}),
    setupTokenTtlMinutes: z.coerce.number().int().min(1).max(7 * 24 * 60).default(24 * 60),
    /** On SIGTERM/SIGINT: how long in-flight requests and jobs may take to finish before connections are cut. */
    shutdownTimeoutSeconds: z.coerce.number().int().min(1).max(300).default(10),
    metrics: z
      .object({
        /** Bearer token Prometheus presents at /metrics; without one, /metrics answers 404 in production. */
        token: z.string().min(32, 'must be at least 32 characters; generate one with `openssl rand -base64 48`').optional(),
      })
      .strict()
      .prefault({}),
    auth: z
      .object({
        /** ASVS 5.0 V6.2.1: at least 8, recommended 15 without MFA; 12 by default because MFA is required for admins. */
        passwordMinLength: z.coerce.number().int().min(8).max(64).default(12),
        argon2MemoryKib: z.coerce.number().int().min(8192).max(1048576).default(19456),
        argon2Iterations: z.coerce.number().int().min(1).max(20).default(2),
        argon2Parallelism: z.coerce.number().int().min(1).max(16).default(1),
        lockoutThreshold: z.coerce.number().int().min(3).max(100).default(5),
        lockoutBaseSeconds: z.coerce.number().int().min(1).max(3600).default(60),
        lockoutMaxSeconds: z.coerce.number().int().min(60).max(86400).default(3600),
        sessionIdleMinutes: z.coerce.number().int().min(5).max(24 * 60).default(30),
        sessionAbsoluteHours: z.coerce.number().int().min(1).max(24 * 30).default(12),
        accessTokenTtlSeconds: z.coerce.number().int().min(60).max(3600).default(900),
        apiSessionDays: z.coerce.number().int().min(1).max(90).default(30),
        invitationTtlHours: z.coerce.number().int().min(1).max(24 * 30).default(7 * 24),
        passwordResetTtlMinutes: z.coerce.number().int().min(5).max(24 * 60).default(30),
      })
      .strict()
      .refine((auth) => auth.lockoutMaxSeconds >= auth.lockoutBaseSeconds, { message: 'must be at least lockoutBaseSeconds', path: ['lockoutMaxSeconds'] })
      .prefault({}),
    http: z
      .object({
        /** Origins allowed to call the API from a browser; none by default. */
        corsOrigins: z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((o) => o.trim()).filter(Boolean) : v), z.array(z.url({ protocol: /^https?$/ })).default([])),
        rateLimitPerMinute: z.coerce.number().int().min(1).max(1_000_000).default(600),
        /**
         * Reverse proxies whose X-Forwarded-For is believed: a hop count, or addresses/CIDRs
         * ("127.0.0.1,10.0.0.0/8"). Unset means client addresses are the socket's: behind a proxy,
         * every client would otherwise share the proxy's rate-limit budget.
         */
        trustProxy: z
          .preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : typeof v === 'string' ? v.split(',').map((a) => a.trim()).filter(Boolean) : v), z.union([z.number().int().min(1).max(10), z.array(z.string().min(1)).min(1)]))
          .optional(),
        authRateLimitPerMinute: z.coerce.number().int().min(1).max(10_000).default(10),
        /** New reports per client address per minute, and per project per minute (a flood from many addresses). */
        intakeRateLimitPerMinute: z.coerce.number().int().min(1).max(10_000).default(10),
        intakeProjectRateLimitPerMinute: z.coerce.number().int().min(1).max(100_000).default(120),
        /** How long a public rendering (advisory JSON, OSV, feeds, security.txt) is reused; writes through this instance clear it at once (http/render-cache.ts). 0 turns it off. */
        publicCacheMs: z.coerce.number().int().min(0).max(60_000).default(1000),
      })
      .strict()
      .prefault({}),
    /** Files sent with reports (multipart, at intake and in the thread). Held in memory while sealed, so keep them modest. */
    attachments: z
      .object({
        maxFileBytes: z.coerce.number().int().min(1).max(256 * 1024 * 1024).default(10 * 1024 * 1024),
        maxReportBytes: z.coerce.number().int().min(1).max(1024 * 1024 * 1024).default(50 * 1024 * 1024),
        /** 0 turns attachments off. */
        maxCount: z.coerce.number().int().min(0).max(1000).default(20),
      })
      .strict()
      .refine((a) => a.maxReportBytes >= a.maxFileBytes, { message: 'must be at least maxFileBytes', path: ['maxReportBytes'] })
      .prefault({}),
    mail: z
      .object({
        /** smtp:// or smtps:// URL with credentials; unset means mail stays in the outbox. */
        smtpUrl: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
        from: z.email().default('embargo@localhost'),
        /** Email intake: `host:port` of the inbound SMTP listener (an MX for intakeDomain); unset means no email intake. */
        intakeListen: z
          .string()
          .regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/, 'must be host:port, e.g. 0.0.0.0:25')
          .transform((value) => ({ host: value.slice(0, value.lastIndexOf(':')).replace(/^\[|\]$/g, ''), port: Number(value.slice(value.lastIndexOf(':') + 1)) }))
          .refine((listen) => listen.port <= 65535, 'port must be at most 65535')
          .optional(),
        /** The domain of the intake addresses: security+{slug}@intakeDomain, and the per-report reply addresses. */
        intakeDomain: z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'must be a domain name').optional(),
        /** Largest inbound mail accepted, in bytes; larger ones are refused during the SMTP transaction. */
        intakeMaxBytes: z.coerce.number().int().min(64 * 1024).max(100 * 1024 * 1024).default(25 * 1024 * 1024),
      })
      .strict()
      .refine((mail) => mail.intakeListen === undefined || mail.intakeDomain !== undefined, { message: 'is required when intakeListen is set', path: ['intakeDomain'] })
      .prefault({}),
    webhooks: z
      .object({
        /** A webhook whose deliveries fail this many times in a row is disabled and its project admins are emailed. */
        maxConsecutiveFailures: z.coerce.number().int().min(1).max(1000).default(10),
      })
      .strict()
      .prefault({}),
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
  secrets: { serverSecret: string; encryptionKey: string; previousEncryptionKeys: string[]; backupKey?: string | undefined };
};
