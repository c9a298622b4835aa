package socket

import (
	"fmt"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/internal/textcut"
)

// The three RPC object types and the wrapper key of each.
const (
	TypeRequest  = "rpcRequest"
	TypeResponse = "rpcResponse"
	TypeMessage  = "rpcMessage"
)

// PingCommand is the keepalive request servers send; it must be answered.
const PingCommand = "amf_socket_ping"

// Kind says what an RPC object is.
type Kind uint8

const (
	KindRequest Kind = iota + 1
	KindResponse
	KindMessage
)

func (k Kind) String() string {
	switch k {
	case KindRequest:
		return "request"
	case KindResponse:
		return "response"
	case KindMessage:
		return "message"
	}
	return "?"
}

// RPC is one RPC object read from a frame.
type RPC struct {
	Kind      Kind
	MessageID string
	Command   string // requests and messages
	Params    any    // requests and messages
	Result    any    // responses
	// Value is the frame's whole value, as decoded.
	Value any
}

// Request is a request or a one-way message from the peer, as given to
// Options.OnRequest and Options.OnMessage.
type Request struct {
	RPC
	conn    *Conn
	replied chan struct{}
}

// Reply answers the request with result. Only the first reply is sent;
// later ones, and replies to messages, return an error.
func (r *Request) Reply(result any) error {
	if r.Kind != KindRequest {
		return fmt.Errorf("socket: a message (%q) takes no reply", r.Command)
	}
	select {
	case <-r.replied:
		return fmt.Errorf("socket: request %q (%s) was answered already", r.Command, r.MessageID)
	default:
		close(r.replied)
	}
	if r.Command != PingCommand {
		r.conn.touch()
	}
	return r.conn.write(ResponseObject(r.MessageID, result))
}

func (r *Request) answered() bool {
	select {
	case <-r.replied:
		return true
	default:
		return false
	}
}

func obj(members ...amf.Member) *amf.Object { return &amf.Object{Members: members} }

// RequestObject is the value of an rpcRequest frame, with its keys in the
// order RocketAMF's pure serializer writes them (sorted).
func RequestObject(id, command string, params any) *amf.Object {
	return callObject(TypeRequest, "request", id, command, params)
}

// MessageObject is the value of an rpcMessage frame.
func MessageObject(id, command string, params any) *amf.Object {
	return callObject(TypeMessage, "message", id, command, params)
}

func callObject(typ, key, id, command string, params any) *amf.Object {
	if params == nil {
		params = obj() // servers drop a connection on null params
	}
	return obj(
		amf.Member{Name: key, Value: obj(
			amf.Member{Name: "command", Value: command},
			amf.Member{Name: "messageId", Value: id},
			amf.Member{Name: "params", Value: params},
		)},
		amf.Member{Name: "type", Value: typ},
	)
}

// ResponseObject is the value of an rpcResponse frame; result is always
// present, null included.
func ResponseObject(id string, result any) *amf.Object {
	return obj(
		amf.Member{Name: "response", Value: obj(
			amf.Member{Name: "messageId", Value: id},
			amf.Member{Name: "result", Value: result},
		)},
		amf.Member{Name: "type", Value: TypeResponse},
	)
}

// ErrorResult is the conventional error result {"error": {"code": code,
// "message": message}}: the protocol has no error reply.
func ErrorResult(code, message string) *amf.Object {
	return obj(amf.Member{Name: "error", Value: obj(
		amf.Member{Name: "code", Value: code},
		amf.Member{Name: "message", Value: message},
	)})
}

// Unanswered is the result sent for a peer request nothing handles.
func Unanswered(command string) *amf.Object {
	return ErrorResult("unanswered", fmt.Sprintf("no answer for the command %q", command))
}

// ParseRPC reads an RPC object out of a frame's value. Extra keys are
// ignored; a response without a result has a nil Result (peers require
// the key, but the value is the same).
func ParseRPC(v any) (*RPC, error) {
	top, ok := amf.Unwrap(v).(*amf.Object)
	if !ok {
		return nil, fmt.Errorf("not an RPC object: the value is %s, not an object", amf.Describe(v))
	}
	t, _ := top.Get("type")
	typ, ok := t.(string)
	if !ok {
		return nil, fmt.Errorf("not an RPC object: no string \"type\"")
	}
	r := &RPC{Value: v}
	var key string
	switch typ {
	case TypeRequest:
		r.Kind, key = KindRequest, "request"
	case TypeResponse:
		r.Kind, key = KindResponse, "response"
	case TypeMessage:
		r.Kind, key = KindMessage, "message"
	default:
		return nil, fmt.Errorf("unknown RPC type %q", shorten(typ))
	}
	w, _ := top.Get(key)
	wrap, ok := w.(*amf.Object)
	if !ok {
		return nil, fmt.Errorf("%s without a %q object", typ, key)
	}
	id, _ := wrap.Get("messageId")
	if r.MessageID, ok = id.(string); !ok {
		return nil, fmt.Errorf("%s without a string messageId", typ)
	}
	if r.Kind == KindResponse {
		r.Result, _ = wrap.Get("result")
		return r, nil
	}
	cmd, _ := wrap.Get("command")
	if r.Command, ok = cmd.(string); !ok {
		return nil, fmt.Errorf("%s %q without a string command", typ, shorten(r.MessageID))
	}
	r.Params, _ = wrap.Get("params")
	return r, nil
}

// shorten cuts an id or name from the peer for a message.
func shorten(s string) string { return textcut.Cut(s, 40) }
