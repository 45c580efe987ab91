"""The review workspace: a web app where province and ministry reviewers work on packages together.

Layout (FastAPI's project layout): `config` (settings), `schema` (the workspace's tables, beside the
batch's on the same database), `db` (engine, sessions, Alembic migrations run on start), `security`
(argon2 passwords, API tokens, sessions, CSRF, login throttling), `uploads` (sniffing, size cap,
storage by sha256), `corrections` (a corrected value applied to a record and every check re-run),
`services` (packages, findings, reviews, corrections, decisions, audit, scoped to the caller),
`worker` (queued packages through the batch's isolated per-file machinery), `recommendation` (the
province's 推荐表 and its quota rules), `api` (JSON routes), `pages` (HTML routes), `app` (the
factory), `cli` (`dtpc serve`, `dtpc user`).
"""
