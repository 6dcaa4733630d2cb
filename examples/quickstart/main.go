// Command quickstart walks through the SDK: it registers the documented
// example resident, reads her back, and counts the pending and active
// service users of the account.
//
// With CAREHQ_ACCOUNT_ID, CAREHQ_API_KEY, CAREHQ_API_SECRET and
// CAREHQ_LOCATION_ID set (and CAREHQ_BASE_URL for the sandbox), it talks to
// CareHQ. It then creates a real record in that account: use a sandbox.
// Without credentials it starts a fake CareHQ server in the process,
// seeded with made-up service users, and says so on stderr.
//
// CAREHQ_LOG=debug logs one line per HTTP attempt to stderr.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/carehq-go/carehq"
	"github.com/carehq-go/carehq/carehqtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	if err := run(ctx, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run does the whole walk-through, writing results to stdout and notices to
// stderr.
func run(ctx context.Context, stdout, stderr io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	opts := []carehq.Option{carehq.WithUserAgent("carehq-quickstart")}
	if strings.EqualFold(os.Getenv("CAREHQ_LOG"), "debug") {
		logger := slog.New(slog.NewTextHandler(stderr,
			&slog.HandlerOptions{Level: slog.LevelDebug}))
		opts = append(opts, carehq.WithLogger(logger))
	}

	client, location, done, err := connect(stderr, opts)
	if err != nil {
		return err
	}
	defer done()

	created, err := client.ServiceUsers.Create(ctx, margaretThompson(location))
	if err != nil {
		return fmt.Errorf("creating the example service user: %w", err)
	}
	fmt.Fprintf(stdout, "Created %s %s (%s), status %s\n", created.FirstName,
		created.LastName, created.ID, created.Status)

	fetched, err := client.ServiceUsers.Get(ctx, created.ID)
	if err != nil {
		return fmt.Errorf("retrieving %s: %w", created.ID, err)
	}
	fmt.Fprintf(stdout, "Retrieved %s: born %s, service %s, funding %s\n", fetched.ID,
		fetched.DOB, fetched.Service, fetched.FundingType)

	params := &carehq.ListServiceUsersParams{
		Filters: carehq.ServiceUserFilters{Statuses: []carehq.ServiceUserStatus{
			carehq.ServiceUserStatusPending, carehq.ServiceUserStatusActive,
		}},
		SortBy:  []carehq.Sort{carehq.Ascending("last_name")},
		PerPage: 100,
	}
	count := 0
	var names []string
	for su, err := range client.ServiceUsers.All(ctx, params, carehq.Prefetch()) {
		if err != nil {
			return fmt.Errorf("listing service users: %w", err)
		}
		count++
		if len(names) < 5 {
			names = append(names, su.FirstName+" "+su.LastName)
		}
	}
	fmt.Fprintf(stdout, "%d pending or active service users, for example: %s\n", count,
		strings.Join(names, ", "))

	return nil
}

// connect returns a client for CareHQ when the environment holds
// credentials, or for a fake server started here when it holds none, with
// the location to register the example resident at.
func connect(stderr io.Writer, opts []carehq.Option) (*carehq.Client, string, func(), error) {
	if os.Getenv(carehq.EnvAccountID) != "" || os.Getenv(carehq.EnvAPIKey) != "" {
		client, err := carehq.NewFromEnv(opts...)
		if err != nil {
			return nil, "", nil, err
		}
		location := os.Getenv("CAREHQ_LOCATION_ID")
		if location == "" {
			return nil, "", nil, errors.New("CAREHQ_LOCATION_ID is not set: the Id of the " +
				"location to register the example service user at")
		}
		return client, location, client.CloseIdleConnections, nil
	}

	srv := carehqtest.NewServer(carehqtest.WithServiceUsers(240))
	fmt.Fprintf(stderr, "No CAREHQ_* credentials set: using a fake CareHQ server at %s "+
		"with made-up service users.\n", srv.URL)
	client, err := srv.Client(opts...)
	if err != nil {
		srv.Close()
		return nil, "", nil, err
	}
	done := func() {
		client.CloseIdleConnections()
		srv.Close()
	}

	return client, srv.LocationID, done, nil
}

// margaretThompson returns the resident from CareHQ's documented create
// example. Her ref and account code are left for CareHQ to assign: both must
// be unique, and the example may run more than once against one account.
func margaretThompson(location string) *carehq.CreateServiceUserParams {
	return &carehq.CreateServiceUserParams{
		Location:                     location,
		Title:                        "Mrs",
		FirstName:                    "Margaret",
		LastName:                     "Thompson",
		PreferredName:                "Maggie",
		DOB:                          carehq.NewDate(1932, time.May, 3),
		Genders:                      []carehq.Gender{carehq.GenderFemale},
		Religions:                    []carehq.Religion{carehq.ReligionChristian},
		Service:                      carehq.ServiceNursingHome,
		FundingType:                  carehq.FundingTypePrivate,
		FNCApplicationStatus:         carehq.FNCApplicationStatusAppliedFor,
		FNCApplicationDate:           carehq.NewDate(2025, time.April, 2),
		DayCareUse:                   carehq.DayCareUseNotUsed,
		BroadcareNumber:              "4857773456",
		NHSNumber:                    "485 777 3456",
		NationalInsuranceNumber:      "QQ123456B",
		Mobile:                       "07969813976",
		AssistanceWithDressing:       carehq.FlagYes,
		AssistanceWithMedication:     carehq.FlagYes,
		AssistanceWithPersonalCare:   carehq.FlagYes,
		Dementia:                     carehq.FlagYes,
		DementiaChallengingBehaviour: carehq.FlagYes,
		MobilityUsesStick:            carehq.FlagYes,
		VisuallyImpaired:             carehq.FlagYes,
		Notes: "Requires support with morning and evening routines. Mild vascular " +
			"dementia diagnosed in the last year. Daughter visits weekly. Enjoys " +
			"knitting and listening to classical music.",
	}
}
