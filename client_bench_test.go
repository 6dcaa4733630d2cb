package carehq

import (
	"bytes"
	"context"
	"io"
	"testing"
)

// BenchmarkGet measures one retrieve of a full service user through the SDK
// and through the hand-written baseline, against the same canned loopback
// server: request building, signing, the round trip, reading and decoding.
func BenchmarkGet(b *testing.B) {
	srv := newCannedServer(b, benchRecord())
	sdk := newBenchClient(b, srv.URL)
	base := newBaselineClient(b, srv.URL)
	ctx := context.Background()
	resource := "service-users/" + benchRecordID

	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			su, err := sdk.ServiceUsers.Get(ctx, benchRecordID)
			if err != nil {
				b.Fatal(err)
			}
			if su.ID != benchRecordID {
				b.Fatalf("got service user %q", su.ID)
			}
		}
	})

	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var su plainServiceUser
			if err := base.get(ctx, resource, nil, &su); err != nil {
				b.Fatal(err)
			}
			if su.ID != benchRecordID {
				b.Fatalf("got service user %q", su.ID)
			}
		}
	})
}

// BenchmarkList measures one page of 100 full service users (about 276 KB)
// through the SDK's List and through the baseline, against the same canned
// loopback server: the whole call, from parameters to decoded page.
func BenchmarkList(b *testing.B) {
	body := benchPage()
	srv := newCannedServer(b, body)
	sdk := newBenchClient(b, srv.URL)
	base := newBaselineClient(b, srv.URL)
	ctx := context.Background()
	params := baselineListParams(100)

	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			page, err := sdk.ServiceUsers.List(ctx, &ListServiceUsersParams{PerPage: 100})
			if err != nil {
				b.Fatal(err)
			}
			if len(page.Items) != 100 {
				b.Fatalf("got %d items", len(page.Items))
			}
		}
	})

	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var page plainPage
			if err := base.get(ctx, "service-users", params, &page); err != nil {
				b.Fatal(err)
			}
			if len(page.Items) != 100 {
				b.Fatalf("got %d items", len(page.Items))
			}
		}
	})
}

// BenchmarkCallOverhead is BenchmarkGet with a service user that holds only
// its Id, so that decoding costs next to nothing and what remains is each
// side's cost of making, signing, sending and reading a call.
func BenchmarkCallOverhead(b *testing.B) {
	srv := newCannedServer(b, []byte(`{"_id":"`+benchRecordID+`"}`))
	sdk := newBenchClient(b, srv.URL)
	base := newBaselineClient(b, srv.URL)
	ctx := context.Background()
	resource := "service-users/" + benchRecordID

	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := sdk.ServiceUsers.Get(ctx, benchRecordID); err != nil {
				b.Fatal(err)
			}
		}
	})

	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var su plainServiceUser
			if err := base.get(ctx, resource, nil, &su); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkReadBody reads a page of 100 full service users as the
// transport does, sizing its buffer from the announced length (sdk), and
// with io.ReadAll under the same cap (baseline).
func BenchmarkReadBody(b *testing.B) {
	body := benchPage()
	size := int64(len(body))

	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(size)
		for b.Loop() {
			got, err := readBody(bytes.NewReader(body), size, DefaultMaxResponseBytes)
			if err != nil || int64(len(got)) != size {
				b.Fatal(len(got), err)
			}
		}
	})

	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(size)
		for b.Loop() {
			got, err := io.ReadAll(io.LimitReader(bytes.NewReader(body),
				DefaultMaxResponseBytes+1))
			if err != nil || int64(len(got)) != size {
				b.Fatal(len(got), err)
			}
		}
	})
}
