package carehq_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// readmePrelude declares what the README's snippets take as given.
const readmePrelude = `package readme

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/url"
	"time"

	"github.com/carehq-go/carehq"
	"github.com/carehq-go/carehq/carehqtest"
)

var (
	ctx                          context.Context
	client                       *carehq.Client
	err                          error
	su                           *carehq.ServiceUser
	params                       *carehq.CreateServiceUserParams
	accountID, apiKey, apiSecret string
	locationID, id               string
	out                          any
)

var (
	_ = json.Valid
	_ = errors.Is
	_ = fmt.Sprint
	_ = log.Println
	_ = slog.Default
	_ = url.Values{}
	_ = time.Second
	_ = carehqtest.NewServer
)
`

// TestREADMESnippetsCompile builds every Go snippet of README.md, each as the
// body of a function, so that the README cannot drift from the API.
func TestREADMESnippetsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module with the go command")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	snippets := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	require.NotEmpty(t, snippets)

	var src strings.Builder
	src.WriteString(readmePrelude)
	for i, s := range snippets {
		fmt.Fprintf(&src, "\nfunc snippet%d() error {\n%s\n\t_, _, _ = client, err, su\n"+
			"\treturn nil\n}\n", i, s[1])
	}

	root, err := filepath.Abs(".")
	require.NoError(t, err)
	dir := t.TempDir()
	goMod, err := os.ReadFile("go.mod")
	require.NoError(t, err)
	goSum, err := os.ReadFile("go.sum")
	require.NoError(t, err)
	mod := strings.Replace(string(goMod), "module github.com/carehq-go/carehq", "module readme", 1)
	mod += fmt.Sprintf("\nrequire github.com/carehq-go/carehq v0.0.0\n"+
		"replace github.com/carehq-go/carehq => %s\n", root)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), goSum, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "readme.go"), []byte(src.String()),
		0o600))

	cmd := exec.Command(goTool, "vet", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	output, err := cmd.CombinedOutput()
	require.NoError(t, err, "README snippets do not compile:\n%s\n%s", output, src.String())
}
