/**
 * Field types shared by the policy schema. Messages are written for the person
 * editing the YAML file: they say what to write, not what zod expected.
 */
import { z } from 'zod';
import semver from 'semver';

/** YAML turns unquoted `1.0` or `yes` into a number or boolean; say so instead of "expected string". */
const textTypeError = {
  error: (issue: { input?: unknown }) =>
    issue.input === undefined ? 'Required' : issue.input === null ? 'Must not be empty' : `Expected text but found ${typeof issue.input}; put values such as 1.0 or yes in quotes`,
};

/** One line of plain text: names, labels, headings. */
export const lineSchema = z
  .string(textTypeError)
  .trim()
  .min(1, 'Must not be empty')
  .max(300, 'Keep this under 300 characters')
  .refine((text) => !/[\r\n]/.test(text), 'Must be a single line');

/** Markdown prose. Inserted into SECURITY.md as written. */
export const markdownSchema = z.string(textTypeError).trim().min(1, 'Must not be empty').max(20_000, 'Keep this under 20,000 characters');

export const listOfLines = z.array(lineSchema);
export const listOfMarkdown = z.array(markdownSchema);

/**
 * Every web address in a policy may end up in security.txt, which RFC 9116
 * §2.5 requires to be https, so plain http is refused everywhere.
 */
export const httpsUrlSchema = z.string().refine((text) => {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
}, 'Must be an https:// URL (http:// is refused: RFC 9116 requires https for every web URI)');

export const emailSchema = z.email('Must be an email address such as security@example.org');

const calendarDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const yearMonthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

function isCalendarDate(text: string): boolean {
  const match = calendarDatePattern.exec(text);
  if (match === null) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

export const calendarDateSchema = z
  .string({ error: 'Must be a date written as YYYY-MM-DD' })
  .refine(isCalendarDate, 'Must be a real date written as YYYY-MM-DD');

/** A date or just a month (`2025-09`), for "last updated" and "next review" that seeds give as a month. */
export const dateOrMonthSchema = z
  .string({ error: 'Must be a date (YYYY-MM-DD) or a month (YYYY-MM)' })
  .refine((text) => isCalendarDate(text) || yearMonthPattern.test(text), 'Must be a date (YYYY-MM-DD) or a month (YYYY-MM)');

const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * An instant, written as an RFC 3339 date-time with an offset or as a bare date
 * (midnight UTC). Normalised to `toISOString()` form so it can go straight
 * into security.txt's Expires field.
 */
export const instantSchema = z
  .string({ error: 'Must be a date-time such as 2027-05-01T00:00:00Z' })
  .refine(
    (text) => (dateTimePattern.test(text) && !Number.isNaN(Date.parse(text))) || isCalendarDate(text),
    'Must be a date-time with a time zone, such as 2027-05-01T00:00:00Z, or a date (YYYY-MM-DD)',
  )
  .transform((text) => new Date(isCalendarDate(text) ? `${text}T00:00:00Z` : text).toISOString());

/** An IANA zone, normalised to the spelling Intl uses (`utc` becomes `UTC`). */
export const timeZoneSchema = z.string().transform((zone, ctx) => {
  try {
    // Intl.supportedValuesOf('timeZone') omits aliases such as "UTC", so ask the formatter instead.
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'Must be an IANA time zone such as UTC or Europe/Berlin' });
    return z.NEVER;
  }
});

/** A BCP 47 tag, normalised to its canonical form (`EN-us` becomes `en-US`). */
export const languageTagSchema = z.string().transform((tag, ctx) => {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    if (canonical !== undefined) return canonical;
  } catch {
    // Reported below, like an empty result.
  }
  ctx.addIssue({ code: 'custom', message: 'Must be a BCP 47 language tag such as en or pt-BR' });
  return z.NEVER;
});

/** `latest` stands for "the newest release", whatever its number; anything else must be a semver range. */
export const versionRangeSchema = z
  .string({ error: 'Must be a version range written as a string; quote numbers such as "1.0"' })
  .trim()
  .refine(
    (range) => range === 'latest' || semver.validRange(range) !== null,
    'Must be a semver range (such as 1.x, >=1.0.0 <2, <1.0.0) or the word latest',
  );

/** Keeps list entries unique; reports each repeat at its own index (and `keyPath` inside it). */
export function uniqueBy<T>(key: (item: T) => string, what: string, keyPath: PropertyKey[] = []) {
  return (items: readonly T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const value = key(item);
      if (seen.has(value)) ctx.addIssue({ code: 'custom', message: `Duplicate ${what} "${value}"`, path: [index, ...keyPath] });
      seen.add(value);
    });
  };
}
