-- The statements one report intake sends (src/services/reports/intake.service.ts), in order, for pgbench:
-- the project lookup, then the transaction with its two locks (report counter, audit chain). Sealed
-- values are stand-in text of a similar size; hashes are random. :project is the project's id.
\set r random(1, 2000000000)
select p.*, pr.policy from project p join policy_revision pr on pr.project_id = p.id and pr.revision = p.policy_revision where p.slug = 'payqi';
begin;
insert into report_counter (project_id, year, last_number) values (':project', 2026, 1) on conflict (project_id, year) do update set last_number = report_counter.last_number + 1 returning last_number \gset
insert into report (id, project_id, human_id, source, title_clear, fields_sealed, contact_sealed, credit_mode, credit_name_sealed, version_status, policy_revision, next_due_at, clock_status, created_at, updated_at)
  values (gen_random_uuid(), ':project', 'PGBENCH-' || :r || '-' || :last_number, 'api', 'Path traversal in file download', repeat('s', 700), repeat('c', 160), 'named', repeat('n', 100), 'supported', 1, now() + interval '3 days', 'on_track', now(), now()) returning id as report_id \gset
insert into reporter_token (report_id, token_hash) values (':report_id', md5(random()::text) || md5(random()::text));
insert into outbox_event (id, topic, payload, available_at) values (gen_random_uuid(), 'pgbench', repeat('p', 200), now() + interval '1 year');
select pg_advisory_xact_lock(418581342580);
select seq, hash from audit_log order by seq desc limit 1 \gset
insert into audit_log (seq, id, at, actor_type, actor_id, action, object_type, object_id, outcome, ip, user_agent, details, prev_hash, hash)
  values (:seq + 1, gen_random_uuid(), now(), 'reporter', ':report_id', 'report.received', 'report', ':report_id', 'success', '127.0.0.1', 'pgbench', '{"project":"payqi"}', ':hash', md5(random()::text) || md5(random()::text));
commit;
