// Package carehqtest runs a fake CareHQ API inside the test process, for
// testing code that uses the carehq package without an account, a network
// or real personal data.
//
// A Server behaves like CareHQ for service users: it creates
// (PUT /v1/service-users), retrieves (GET /v1/service-users/{id}) and lists
// (GET /v1/service-users) them, validating parameters and answering errors
// with CareHQ's JSON ({"hint": ..., "arg_errors": {...}}). It checks every
// request's signature (version 2.0) against its own credentials, refuses
// stale timestamps and replayed nonces, and applies a per-second rate
// limit with CareHQ's X-CareHQ-RateLimit-* headers.
//
// Start one per test and get a client wired to it:
//
//	srv := carehqtest.NewServer()
//	defer srv.Close()
//	client, err := srv.Client()
//
// Then run the code under test with client, and check what reached the
// server with Requests, ServiceUsers and ServiceUserCount. SeedServiceUsers
// (or WithServiceUsers) fills the server with realistic made-up records.
//
// To test how code copes with failures, AddFault makes the server fail
// matching requests: answer a status such as 503 or 429, wait, drop the
// connection, answer broken JSON, or store a create and then fail. A fault
// can hit the next few requests or a seeded fraction of them. SetQuirks
// makes answers carry the oddities real CareHQ payloads have.
//
// # Time
//
// By default the server listens on 127.0.0.1 and reads time.Now. With
// WithInMemoryNetwork it listens on an in-process network instead, so that
// a server created inside a testing/synctest bubble runs entirely in the
// bubble: rate-limit windows, client retries and latency faults then pass
// in fake time, instantly. WithClock sets the server's clock, for example
// to check signatures made at a fixed time.
//
// Dates are YYYY-MM-DD and date/times YYYY-MM-DD HH:MM:SS in UTC, as
// CareHQ writes them.
//
// # What it is not
//
// The server keeps everything in memory and knows only service users and
// locations (which it has no endpoint for). Where CareHQ's behaviour is not
// documented (the exact messages, how refs are numbered, page_count of an
// empty list), it makes a reasonable choice and says so in its code.
//
// The command cmd/carehq-fake runs the same server as a process, for trying
// the SDK's examples by hand.
package carehqtest
