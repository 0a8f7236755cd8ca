import type { DbOrTrx } from '../../storage/database.ts';
import type { User } from '../../storage/schema.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { enqueueEmail } from '../outbox.service.ts';

/** As sessions store it (sessions.service.ts keeps 500 characters). */
const storedAgent = (meta: RequestMeta) => meta.userAgent?.slice(0, 500) ?? null;

/**
 * Mails the account's owner when it is signed in to from an address and
 * browser it never signed in from before. Called before the new session is
 * stored, so the comparison is against earlier sessions only (revoked and
 * expired ones included: they are still places the owner signed in from).
 * The very first sign-in has nothing to compare with and sends nothing.
 * Like every account security mail, it is not subject to notification
 * preferences.
 */
export async function noticeNewSignIn(trx: DbOrTrx, ctx: Pick<ServiceContext, 'keyring' | 'now' | 'publicUrl'>, user: Pick<User, 'id' | 'email'>, meta: RequestMeta): Promise<void> {
  const earlier = await trx
    .selectFrom('auth_session')
    .select((eb) => [eb.fn.countAll<string>().as('all'), eb.fn.countAll<string>().filterWhere((w) => w.and([w('ip', 'is not distinct from', meta.ip), w('user_agent', 'is not distinct from', storedAgent(meta))])).as('same')])
    .where('user_id', '=', user.id)
    .executeTakeFirstOrThrow();
  if (Number(earlier.all) === 0 || Number(earlier.same) > 0) return;
  // The browser's name is whatever the client sent: shortened and kept to one line.
  const agent = (meta.userAgent ?? 'an unnamed client').replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 200);
  await enqueueEmail(trx, ctx, {
    to: user.email,
    subject: 'New sign-in to your Embargo account',
    text: [
      `Your account at ${ctx.publicUrl} was signed in to on ${ctx.now().toISOString()} from ${meta.ip ?? 'an unknown address'} with ${agent}.`,
      'It is the first sign-in from this address and browser. If it was you, there is nothing to do.',
      `If it was not you, change your password and end your other sessions now at ${ctx.publicUrl}/account, and tell your Embargo administrator.`,
      '',
    ].join('\n\n'),
  });
}
