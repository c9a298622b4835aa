package client

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/safetext"
)

// Sentinel errors that say what kind of transport failure a [*HTTPError]
// is; test with errors.Is.
var (
	ErrRefused     = errors.New("connection refused")
	ErrTimeout     = errors.New("timed out")
	ErrTLS         = errors.New("TLS failure")
	ErrDNS         = errors.New("host not found")
	ErrConnection  = errors.New("connection failed")
	ErrStatus      = errors.New("unexpected HTTP status")
	ErrContentType = errors.New("reply is not application/x-amf")
	ErrTooLarge    = errors.New("reply too large")
	ErrEmptyBody   = errors.New("empty reply")
	ErrRedirect    = errors.New("redirect refused")
	ErrNoReply     = errors.New("no reply body for the call")
)

// HTTPError is a failure of the HTTP exchange with the gateway: the
// connection, TLS, the status, the content type or the size of the reply,
// or a reply packet that does not answer the call. Kind is one of the Err*
// sentinels; Err is the underlying cause, if any.
type HTTPError struct {
	Kind   error
	URL    string // the gateway URL, credentials removed
	Status string // the HTTP status line, when one came back
	// Snippet is the start of an unexpected reply body, as printable text.
	Snippet string
	// Detail says more about what went wrong, for the message.
	Detail string
	// Hint says what the user can do about it.
	Hint string
	// Reason names the cases a caller may say more about (the settings
	// that bear on them, which the client knows by no flag's name);
	// zero for the others.
	Reason HTTPReason
	Err    error
}

// HTTPReason names a case of [HTTPError].
type HTTPReason uint8

const (
	_ HTTPReason = iota
	// ReasonProxyRefused, ReasonProxyDNS, ReasonProxy: the proxy refused
	// the connection, has a host name that does not resolve, or failed
	// otherwise.
	ReasonProxyRefused
	ReasonProxyDNS
	ReasonProxy
	// ReasonAuthWanted: HTTP 401 to a request that sent no credentials.
	ReasonAuthWanted
	// ReasonNotTrusted: the server's certificate chain is not trusted.
	ReasonNotTrusted
	// ReasonHandshake: the TLS handshake failed (an alert).
	ReasonHandshake
	// ReasonConnectTimeout: no connection within the connect timeout.
	ReasonConnectTimeout
	// ReasonHeaderTooLarge: the reply's header fields exceed net/http's
	// read of them (no setting raises it).
	ReasonHeaderTooLarge
	// ReasonDowngrade: a redirect from https to http, not followed.
	ReasonDowngrade
	// ReasonBadRequest: HTTP 400 to a request the server may not have
	// read as AMF (not a TLS port answering plain HTTP).
	ReasonBadRequest
	// ReasonBrokenOff: the server reset or closed the connection under
	// the request or before its reply (over http://).
	ReasonBrokenOff
)

func (e *HTTPError) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind.Error())
	if e.URL != "" {
		b.WriteString(" (")
		b.WriteString(e.URL)
		b.WriteString(")")
	}
	if e.Status != "" {
		// The status line's reason is the server's text: no escapes.
		b.WriteString(": HTTP ")
		b.WriteString(oneLine(e.Status))
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.Snippet != "" {
		b.WriteString("; the reply starts with: ")
		b.WriteString(e.Snippet)
	}
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Unwrap returns the kind and the cause, so that errors.Is works for both.
func (e *HTTPError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// Fault is a remote method's failure: an /onStatus reply body. For an AMF0
// status object the fields come from code, description, details, level
// and type; for a Flex ErrorMessage from faultCode, faultString and
// faultDetail. Value is the reply body's value as received.
type Fault struct {
	Target      string // the call's target, e.g. "echo.fail"
	Response    string // the call's response URI, e.g. "/1"
	Code        string
	Description string
	Details     string
	Level       string
	Type        string
	Value       any
	// CredentialsNotSentTo is the location (password redacted) of the
	// host that answered after a redirect to another host for which the
	// client held back the AMF Credentials header (Config.LocationTrusted
	// unset): an authentication fault from there is about credentials it
	// never had. Empty when they were sent, or none were given.
	CredentialsNotSentTo string
}

func (f *Fault) Error() string {
	code, desc := f.Code, f.Description
	if code == "" {
		code = "fault"
	}
	if desc == "" {
		if s, ok := amf.Unwrap(f.Value).(string); ok {
			desc = s
		} else {
			desc = "(no description)"
		}
	}
	return oneLine(code) + ": " + oneLine(desc)
}

// DecodeError is a reply that is not a valid AMF packet. Err is the amf
// package's error (an *amf.SyntaxError, or *amf.TrailingDataError), which
// carries the byte offset.
type DecodeError struct {
	URL string
	Err error
	// Partial holds the reply's messages that decoded whole before the
	// error (its headers, when they all did), for a batch to give the
	// calls they answer; nil when none did.
	Partial *amf.Packet
}

func (e *DecodeError) Error() string {
	return "the reply from " + e.URL + " is not a valid AMF packet: " + e.Err.Error()
}

func (e *DecodeError) Unwrap() error { return e.Err }

// oneLine collapses whitespace runs (newlines in stack traces) into spaces,
// writes control and format characters as escapes (a hostile gateway's
// fault text cannot drive the terminal) and shortens the text to about
// 300 bytes.
func oneLine(s string) string {
	return safetext.Escape(strings.Join(strings.Fields(s), " "), 300)
}

// snippet renders the start of an unexpected body as one line of printable
// text: HTML tags are kept, control bytes and invalid UTF-8 become escapes.
func snippet(body []byte, max int) string {
	if len(body) == 0 {
		return ""
	}
	more := false
	if len(body) > max {
		body = body[:max]
		more = true
	}
	var b strings.Builder
	b.WriteByte('"')
	space := false
	for len(body) > 0 {
		r, n := utf8.DecodeRune(body)
		switch {
		case r == utf8.RuneError && n <= 1:
			if len(body) < utf8.UTFMax && !utf8.FullRune(body) && more {
				body = nil
				continue
			}
			fmt.Fprintf(&b, `\x%02x`, body[0])
			space = false
		case r == '\n' || r == '\r' || r == '\t' || r == ' ':
			if !space {
				b.WriteByte(' ')
			}
			space = true
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
			space = false
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
			space = false
		default:
			b.WriteRune(r)
			space = false
		}
		body = body[n:]
	}
	b.WriteByte('"')
	if more {
		b.WriteString("...")
	}
	return b.String()
}

// BodyError is a request body that could not be read to its end while it
// was sent (a streamed file that shrank, say); Err says why.
type BodyError struct{ Err error }

func (e *BodyError) Error() string { return "reading the request body: " + e.Err.Error() }
func (e *BodyError) Unwrap() error { return e.Err }
