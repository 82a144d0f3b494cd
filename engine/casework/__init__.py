"""The machinery of one step of a case, shared by the use cases in engine.services.

| module | owns |
|---|---|
| beginning | `begin_case`: the one way a case begins (API, pages, periodic matters, batches) |
| progress | advancing a case by one step and writing everything that follows from it together |
| projections | the rows that mirror what a workflow waits on: tasks, timers, message waits, calls |
| timeline | appending to and reading a case's timeline |
| happenings | what a step wants recorded on the timeline, before it is written |
| notices | which notices a step writes, and to whom |
| mailbox | which waiting cases a message is for; stored messages for cases that wait later |
| permissions | who may read, decide, operate on or author what |
| duties | separation of duties: who may not decide a task whatever their post |
| audit_trail | the audit row each use case adds to its own transaction |
| lookup | the rows a use case acts on (a case and its version, a matter's version), or NotFound |
| case_views | frozen views of case and task rows, built the same way by every use case |

Nothing here opens or commits a transaction: every function works in the caller's unit of
work. web/ never imports this package (import-linter's contracts in pyproject.toml).
"""
