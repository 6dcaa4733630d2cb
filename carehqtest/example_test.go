package carehqtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/carehq-go/carehq"
	"github.com/carehq-go/carehq/carehqtest"
)

// registerResident stands for the code under test: it registers a new
// resident with CareHQ and returns the service user's Id.
func registerResident(ctx context.Context, client *carehq.Client, locationID, firstName,
	lastName string, dob carehq.Date) (string, error) {
	su, err := client.ServiceUsers.Create(ctx, &carehq.CreateServiceUserParams{
		Location:  locationID,
		FirstName: firstName,
		LastName:  lastName,
		DOB:       dob,
	})
	if err != nil {
		return "", err
	}

	return su.ID, nil
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
		carehq.NewDate(1932, time.May, 3))
	if err != nil {
		fmt.Println(err)
		return
	}
	stored, _ := srv.ServiceUser(id)
	fmt.Println(stored["first_name"], stored["dob"], stored["status"])

	// The server validates as CareHQ does, so the code's error handling
	// can be tested too (the client's own checks are off here, so that the
	// request reaches the server).
	strict, err := srv.Client(carehq.WithoutValidation())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer strict.CloseIdleConnections()
	_, err = registerResident(ctx, strict, srv.LocationID, "Margaret", "",
		carehq.NewDate(1932, time.May, 3))
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
		carehq.NewDate(1938, time.November, 2))

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

	page, err := client.ServiceUsers.List(context.Background(),
		&carehq.ListServiceUsersParams{PerPage: 100})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(page.ItemCount, "service users on", page.PageCount, "pages")

	// Output:
	// 250 service users on 3 pages
}
