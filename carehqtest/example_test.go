package carehqtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/carehq-go/carehq"
	"github.com/carehq-go/carehq/carehqtest"
)

// registerResident stands for the code under test: it registers a new
// resident with CareHQ and returns the service user's Id.
func registerResident(ctx context.Context, client *carehq.Client, locationID, firstName,
	lastName, dob string) (string, error) {
	var created struct {
		ID string `json:"_id"`
	}
	err := client.Do(ctx, carehq.Call{
		Method: http.MethodPut,
		Path:   "service-users",
		Params: url.Values{
			"location":   {locationID},
			"first_name": {firstName},
			"last_name":  {lastName},
			"dob":        {dob},
		},
	}, &created)

	return created.ID, err
}

func Example() {
	srv := carehqtest.NewServer()
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()

	id, err := registerResident(ctx, client, srv.LocationID, "Margaret", "Thompson",
		"1932-05-03")
	if err != nil {
		fmt.Println(err)
		return
	}
	stored, _ := srv.ServiceUser(id)
	fmt.Println(stored["first_name"], stored["dob"], stored["status"])

	// The server validates as CareHQ does, so the code's error handling
	// can be tested too.
	_, err = registerResident(ctx, client, srv.LocationID, "Margaret", "", "1932-05-03")
	var apiErr *carehq.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.ArgErrors["last_name"])
	}
	fmt.Println(srv.ServiceUserCount(), "service user stored")

	// Output:
	// Margaret 1932-05-03 pending
	// 400 [This field is required.]
	// 1 service user stored
}

func ExampleServer_AddFault() {
	srv := carehqtest.NewServer()
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.CloseIdleConnections()

	// The next create is stored, but its answer is lost to a failing proxy.
	srv.AddFault(carehqtest.Fault{
		Method: http.MethodPut, Path: "service-users", Times: 1,
		ApplyThenFail: true, Status: http.StatusBadGateway,
	})
	_, err = registerResident(context.Background(), client, srv.LocationID, "Joan", "Evans",
		"1938-11-02")

	fmt.Println(errors.Is(err, carehq.ErrOutcomeUnknown))
	fmt.Println(srv.ServiceUserCount(), "service user stored")

	// Output:
	// true
	// 1 service user stored
}

func ExampleServer_SeedServiceUsers() {
	srv := carehqtest.NewServer()
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.CloseIdleConnections()

	srv.SeedServiceUsers(250)

	var page struct {
		ItemCount int `json:"item_count"`
		PageCount int `json:"page_count"`
	}
	err = client.Do(context.Background(), carehq.Call{
		Method: http.MethodGet, Path: "service-users", Idempotent: true,
		Params: url.Values{"per_page": {"100"}},
	}, &page)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(page.ItemCount, "service users on", page.PageCount, "pages")

	// Output:
	// 250 service users on 3 pages
}
