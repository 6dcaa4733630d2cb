// Package carehq is a typed client for the CareHQ API, the platform that
// runs UK care homes, home-care and live-in-care providers.
//
// # Getting started
//
// Make one Client and share it; it is safe for concurrent use:
//
//	client, err := carehq.New(accountID, apiKey, apiSecret)
//	// or carehq.NewFromEnv(), from CAREHQ_ACCOUNT_ID, CAREHQ_API_KEY,
//	// CAREHQ_API_SECRET and CAREHQ_BASE_URL
//
// Every call takes a context.Context, which bounds the whole call: all its
// attempts and every wait between them.
//
//	su, err := client.ServiceUsers.Get(ctx, "69a9e47783e6ab081d8eda64")
//
// # Service users
//
// Client.ServiceUsers creates, retrieves and lists service users (the
// residents of a care home, or the clients of a home-care service). A
// ServiceUser models every documented attribute. Flags are a Flag, which
// keeps CareHQ's null (nobody recorded an answer) apart from "no"; enums
// are typed strings whose undocumented values are kept, not rejected; a
// value the SDK cannot interpret is left empty and listed in the record's
// Problems, so one odd field never fails a page.
//
// List returns one page; All and Pages walk every page lazily:
//
//	for su, err := range client.ServiceUsers.All(ctx, params) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(su.FirstName, su.LastName)
//	}
//
// # Retries and rate limits
//
// Each attempt is signed afresh (signature version 2.0: HMAC-SHA256 over
// a timestamp, a nonce, the method, the path and the parameters). A 429 is
// retried after the rate-limit window resets, and a connection that could
// not be made is retried, for every call. Server failures, timeouts and
// broken connections are retried only for reads: CareHQ cannot recognise
// a repeated create, so a create that may have reached it is never sent
// again, and its error matches ErrOutcomeUnknown.
//
// # Errors
//
// An *APIError carries the status, CareHQ's hint and every per-field
// message; errors.Is matches it against ErrInvalidRequest, ErrUnauthorized,
// ErrForbidden, ErrNotFound, ErrRateLimited and ErrServer. Parameters the
// client finds invalid give a *ValidationError before anything is sent.
// Error texts never hold credentials, query strings or body content.
//
// # Other endpoints
//
// Client.Do sends any method, path and parameters through the same
// signing, encoding, retries and errors, for the parts of the API that the
// SDK does not type yet.
//
// # Testing
//
// Package carehqtest runs a fake CareHQ server for tests: it checks
// signatures, validates, lists with filters and paging, applies rate limits
// and injects faults.
//
// Dates are civil dates (Date); date/times are time.Time in UTC, which is
// how the SDK reads CareHQ's zoneless YYYY-MM-DD HH:MM:SS.
package carehq
