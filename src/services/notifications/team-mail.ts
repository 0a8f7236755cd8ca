import { teamEventWords, type TeamEventKind } from '../../domain/notifications/team-events.ts';
import type { EmailMessage } from '../outbox.service.ts';

/** What a team notification is about: identifiers and a link, never report content (titles included: they can name the flaw). */
export interface TeamNotice {
  kind: TeamEventKind;
  /** A report's human id or an advisory's id. */
  subject: string;
  project: { slug: string; name: string };
  link: string;
}

/** One line, shared by the immediate mail and the digest. */
export function noticeLine(notice: TeamNotice): string {
  return `${teamEventWords[notice.kind]}: ${notice.subject} (${notice.project.name}) ${notice.link}`;
}

function footer(publicUrl: string): string {
  return `\nThis mail carries no report content; sign in at ${publicUrl} to read it.\nYou choose which of these mails you get, immediately, in a daily digest or not at all, in your account's notification preferences.\n`;
}

export function immediateMail(publicUrl: string, to: string, notice: TeamNotice): EmailMessage {
  return { to, subject: `[${notice.project.slug}] ${teamEventWords[notice.kind]}: ${notice.subject}`, text: `${noticeLine(notice)}\n${footer(publicUrl)}` };
}

export function digestMail(publicUrl: string, to: string, day: string, lines: readonly string[]): EmailMessage {
  return { to, subject: `Your Embargo digest for ${day} (${lines.length})`, text: `${lines.map((l) => `- ${l}`).join('\n')}\n${footer(publicUrl)}` };
}
