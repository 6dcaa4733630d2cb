package carehq

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// Page is one page of a CareHQ list, with the counts CareHQ returns beside
// the items.
type Page[T any] struct {
	// Items holds this page's items, at most PerPage of them.
	Items []T `json:"items"`

	// ItemCount is the number of items across all pages that match the
	// request, not the number on this page.
	ItemCount int `json:"item_count"`

	// Page is this page's number, counting from 1.
	Page int `json:"page"`

	// PageCount is the number of pages; 0 when nothing matched.
	PageCount int `json:"page_count"`

	// PerPage is the most items a page holds for this request.
	PerPage int `json:"per_page"`
}

// ErrInconsistentPages means that, while walking a list, CareHQ answered
// with a page other than the one asked for, or with the same items again.
// The walk stops rather than loop.
var ErrInconsistentPages = errors.New("carehq: inconsistent pages")

// A WalkOption changes how All and Pages walk a list.
type WalkOption func(*walkSettings)

type walkSettings struct {
	prefetch bool
}

// Prefetch makes a walk fetch the next page while the caller works on the
// current one. At most one page is fetched ahead, so memory stays at about
// two pages; the fetch is cancelled, and its goroutine gone, by the time the
// loop that broke early or whose context ended has returned.
func Prefetch() WalkOption {
	return func(s *walkSettings) { s.prefetch = true }
}

// All walks every service user of every page, in order, fetching a page at
// a time (see Pages). Nothing is sent until the loop starts; breaking out
// of the loop stops the walk at once. An error ends the walk: it is yielded
// once, with a nil service user. The service user yielded belongs to its
// page; keep it, or copy it, as you like.
func (s *ServiceUsersService) All(ctx context.Context, params *ListServiceUsersParams,
	opts ...WalkOption) iter.Seq2[*ServiceUser, error] {
	pages := s.Pages(ctx, params, opts...)

	return func(yield func(*ServiceUser, error) bool) {
		for page, err := range pages {
			if err != nil {
				yield(nil, err)
				return
			}
			for i := range page.Items {
				if !yield(&page.Items[i], nil) {
					return
				}
			}
		}
	}
}

// Pages walks a list page by page from params.Page (the first page when it
// is 0), each page with CareHQ's counts. params may be nil and is never
// changed; it is copied when Pages is called. Invalid parameters are
// reported by the first iteration, before anything is sent.
//
// The walk ends after the last page. It guards against a list that changes
// under it: it never walks more pages than the first answer counted (service
// users created during a walk may be missed; sort by a field such as
// created to control where they fall), it ends early when pages run out,
// and it stops with ErrInconsistentPages if CareHQ answers with another
// page than the one asked for, or repeats a page's items.
func (s *ServiceUsersService) Pages(ctx context.Context, params *ListServiceUsersParams,
	opts ...WalkOption) iter.Seq2[*Page[ServiceUser], error] {
	var settings walkSettings
	for _, opt := range opts {
		opt(&settings)
	}
	query := params.listQuery(0)
	first := max(query.Page, 1)
	fetch := func(ctx context.Context, page int) (*Page[ServiceUser], error) {
		return s.fetchPage(ctx, &query, page)
	}
	firstID := func(p *Page[ServiceUser]) string { return p.Items[0].ID }

	return func(yield func(*Page[ServiceUser], error) bool) {
		if err := s.checkList(&query); err != nil {
			yield(nil, err)
			return
		}
		w := walk[ServiceUser]{fetch: fetch, firstID: firstID, prefetch: settings.prefetch}
		w.run(ctx, first, yield)
	}
}

// walk pages through a list. It is generic so that every resource's list
// shares its guards.
type walk[T any] struct {
	fetch    func(ctx context.Context, page int) (*Page[T], error)
	firstID  func(*Page[T]) string // the Id of a non-empty page's first item
	prefetch bool
}

// fetched is the outcome of fetching one page.
type fetched[T any] struct {
	page *Page[T]
	err  error
}

// run fetches pages from first on and yields them until the last page, an
// error, or the caller stops.
func (w *walk[T]) run(ctx context.Context, first int, yield func(*Page[T], error) bool) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var ahead chan fetched[T] // the prefetch in flight, if any
	defer func() {
		if ahead != nil {
			cancel()
			<-ahead
		}
	}()

	limit := 0 // the page count of the first answer
	previousID := ""
	for number := first; ; number++ {
		var page *Page[T]
		var err error
		if ahead != nil {
			got := <-ahead
			ahead = nil
			page, err = got.page, got.err
		} else {
			page, err = w.fetch(ctx, number)
		}
		if err != nil {
			yield(nil, err)
			return
		}

		if err := w.check(page, number, previousID); err != nil {
			yield(nil, err)
			return
		}
		if number == first {
			limit = page.PageCount
		}
		last := len(page.Items) == 0 || number >= min(limit, page.PageCount)
		if len(page.Items) > 0 {
			previousID = w.firstID(page)
		}

		if w.prefetch && !last {
			ahead = make(chan fetched[T], 1)
			go func(next int) {
				p, err := w.fetch(ctx, next)
				ahead <- fetched[T]{p, err}
			}(number + 1)
		}
		if !yield(page, nil) || last {
			return
		}
	}
}

// check rejects a page that is not the one asked for, or that repeats the
// items of the page before.
func (w *walk[T]) check(page *Page[T], number int, previousID string) error {
	if page.Page != 0 && page.Page != number {
		return fmt.Errorf("%w: asked for page %d, got page %d", ErrInconsistentPages, number,
			page.Page)
	}
	if len(page.Items) > 0 && previousID != "" && w.firstID(page) == previousID {
		return fmt.Errorf("%w: page %d repeats the items of page %d", ErrInconsistentPages,
			number, number-1)
	}

	return nil
}
