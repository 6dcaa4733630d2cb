package carehq_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/carehq-go/carehq"
	"github.com/carehq-go/carehq/carehqtest"
)

// fakeCareHQ starts a fake CareHQ server with made-up service users and
// returns a client for it and a function that stops both. Against the real
// API, use carehq.New or carehq.NewFromEnv instead.
func fakeCareHQ(serviceUsers int) (*carehq.Client, string, func()) {
	srv := carehqtest.NewServer(carehqtest.WithServiceUsers(serviceUsers))
	client, err := srv.Client()
	if err != nil {
		panic(err)
	}

	return client, srv.LocationID, func() {
		client.CloseIdleConnections()
		srv.Close()
	}
}

func ExampleServiceUsersService_Create() {
	client, location, stop := fakeCareHQ(0)
	defer stop()
	ctx := context.Background()

	su, err := client.ServiceUsers.Create(ctx, &carehq.CreateServiceUserParams{
		Location:    location,
		FirstName:   "Margaret",
		LastName:    "Thompson",
		DOB:         carehq.NewDate(1932, time.May, 3),
		Service:     carehq.ServiceResidentialHome,
		FundingType: carehq.FundingTypePrivate,
		Dementia:    carehq.FlagYes,
	})
	if errors.Is(err, carehq.ErrOutcomeUnknown) {
		// The create may have been stored: look it up before trying again.
		return
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(su.FirstName, su.LastName, su.DOB, su.Status, su.Dementia)

	// Parameters are checked before anything is sent.
	_, err = client.ServiceUsers.Create(ctx, &carehq.CreateServiceUserParams{
		Location: location, FirstName: "Margaret",
	})
	var invalid *carehq.ValidationError
	if errors.As(err, &invalid) {
		fmt.Println("last_name", invalid.Fields["last_name"])
		fmt.Println("dob", invalid.Fields["dob"])
	}
	// Output:
	// Margaret Thompson 1932-05-03 pending yes
	// last_name [is required]
	// dob [is required when given_age is not given]
}

func ExampleServiceUsersService_Get() {
	client, location, stop := fakeCareHQ(0)
	defer stop()
	ctx := context.Background()
	created, err := client.ServiceUsers.Create(ctx, &carehq.CreateServiceUserParams{
		Location: location, FirstName: "Gordon", LastName: "Smith",
		DOB: carehq.NewDate(1940, time.March, 12),
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	su, err := client.ServiceUsers.Get(ctx, created.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	known := "unknown"
	if dementia, ok := su.Dementia.Bool(); ok {
		known = fmt.Sprint(dementia)
	}
	fmt.Println(su.FirstName, su.LastName, "dementia:", known)

	_, err = client.ServiceUsers.Get(ctx, "69a9e47783e6ab081d8eda64")
	fmt.Println(errors.Is(err, carehq.ErrNotFound))
	// Output:
	// Gordon Smith dementia: unknown
	// true
}

func ExampleServiceUsersService_List() {
	client, _, stop := fakeCareHQ(35)
	defer stop()

	page, err := client.ServiceUsers.List(context.Background(), &carehq.ListServiceUsersParams{
		Attributes: []string{"first_name", "last_name", "status"},
		SortBy:     []carehq.Sort{carehq.Ascending("last_name")},
		PerPage:    10,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("page %d of %d: %d of %d service users\n", page.Page, page.PageCount,
		len(page.Items), page.ItemCount)
	// Output:
	// page 1 of 4: 10 of 35 service users
}

func ExampleServiceUsersService_All() {
	client, _, stop := fakeCareHQ(250)
	defer stop()

	params := &carehq.ListServiceUsersParams{
		Filters: carehq.ServiceUserFilters{
			Statuses: []carehq.ServiceUserStatus{carehq.ServiceUserStatusActive},
		},
		PerPage: 100,
	}
	active, nursing := 0, 0
	for su, err := range client.ServiceUsers.All(context.Background(), params) {
		if err != nil {
			fmt.Println(err)
			return
		}
		active++
		if su.Service == carehq.ServiceNursingHome {
			nursing++
		}
	}
	fmt.Printf("%d active service users, %d in nursing homes\n", active, nursing)
	// Output:
	// 163 active service users, 49 in nursing homes
}
