// Package socket speaks AMF Socket (chadrem's amf_socket, amf_socket_ruby):
// RPC between a Flash program and a server over one TCP connection.
//
// # Wire format
//
// Each frame is a 4-byte big-endian length and one AMF3 value with its own
// reference tables (see [amf.FrameReader]). Every value is an anonymous
// object with a "type": an "rpcRequest" (wrapper "request": messageId,
// command, params), answered by exactly one "rpcResponse" (wrapper
// "response": messageId, result), or a one-way "rpcMessage" (wrapper
// "message": messageId, command, params). Either side may send requests.
// The server pings every client with the request "amf_socket_ping" every
// 5 s and drops a client that leaves one unanswered for 10 s; a [Conn]
// answers pings on its reader goroutine, whatever its caller is doing.
//
// # Basics
//
//	c, err := socket.Dial(ctx, "127.0.0.1:9001", socket.Options{})
//	defer c.Close()
//	res, err := c.Call(ctx, "add", params) // params an *amf.Object
//
// [Conn.Start] sends a request without waiting, so that several can be in
// flight at once; [Conn.Send] sends a one-way message. Requests from the
// peer go to Options.OnRequest, messages to Options.OnMessage.
//
// # Errors
//
// The protocol has no error reply. A peer that cannot answer a request
// answers it anyway, by convention with a result {"error": {"code",
// "message"}}; [Unanswered] builds the one this package sends when nothing
// handles a request. The failures are local: [*NetError] (refused, reset,
// closed by the peer), [*TimeoutError] (no response in time, or no frame
// at all for Options.IdleTimeout) and the frame errors of package amf
// ([*amf.FrameSizeError], [*amf.FrameError]), which end the connection.
// A frame that decodes but is not an RPC object is skipped with a notice.
//
// # Limits
//
// Frames are bounded by Options.MaxFrame (default 64 MiB), checked before
// anything is allocated; values by the decoder's default limits. Every
// read has the idle timeout and every write a write timeout, so nothing
// blocks for ever. A Conn runs at most 64 handlers of peer requests at
// once, and a [Server] at most MaxConns connections.
package socket
