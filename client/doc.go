// Package client calls methods on AMF remoting gateways (PyAMF, BlazeDS,
// AMFPHP, Zend AMF, ColdFusion, RubyAMF) over HTTP, as a Flash client's
// NetConnection or a Flex RemoteObject does.
//
// # Basics
//
//	c, err := client.New("http://localhost:8000/gateway", client.Config{})
//	res, err := c.Call(ctx, "echo.echo", []any{"hi"})
//
// A call is a POST of an AMF packet (Content-Type application/x-amf) with
// one message per call: target "Service.method", response URI "/1", "/2",
// ... and the arguments as an AMF0 strict array. [Client.Batch] sends
// several calls in one packet and matches the reply bodies to the calls
// by their "/N" prefix, whatever order they come in. With Config.AMF3 the
// packet is version 3 and every value goes through the AMF0→AMF3 switch;
// with Config.Flex each call is a Flex RemotingMessage.
//
// # Flex
//
// With Config.Flex the client speaks as a Flex channel: a CommandMessage
// ping first for the FlexClient id (DSId), or a login (Config.FlexUser,
// [Client.FlexLogin]), then one RemotingMessage per call, with the DSId and
// DSEndpoint headers and Config.FlexSource as its source. Replies in the
// small-message forms (DSK, DSA, DSC) are read as the full ones. An
// ErrorMessage is a [*Fault] holding its five fault fields.
// [Client.Publish] sends an AsyncMessage to a messaging destination;
// [Client.Subscribe] returns a [Subscription] to poll, watch and end. The
// DSId and the login's user are saved with the session.
//
// # Sessions
//
// A Client keeps cookies, the AMF headers to send with every packet
// ([Client.SetHeader], [Client.SetCredentials]) and the gateway URL. It
// honours the gateway's reply headers: AppendToGatewayUrl and
// ReplaceGatewayUrl change the URL of later requests, within the scheme,
// host and port given to [New] (a move elsewhere would take the
// credentials and headers along, so it is ignored with a warning);
// RequestPersistentHeader adds (or, with a null value, removes) a header
// sent with later packets, in both the {name, mustUnderstand, data} form
// and PyAMF's name→value form. [Client.SaveSession] and
// [Client.LoadSession] carry that state across runs as JSON.
//
// # Errors
//
// A remote method's failure is a [*Fault] (exit code 1 on the command
// line). A failed exchange is an [*HTTPError] whose Kind is one of the Err*
// sentinels (exit code 3): refused, timeout, TLS, DNS, a status other than
// 200, a reply that is not application/x-amf (the error shows the start of
// what came back), an empty or oversized reply, a refused redirect, a call
// the reply does not answer. A reply that does not decode is a
// [*DecodeError] wrapping the amf package's error with its byte offset
// (exit code 4).
//
// # Security
//
// Replies are bounded: at most Config.MaxResponseSize bytes (64 MiB by
// default) after gzip decompression, decoded with the limits of
// Config.DecMode. Each exchange is bounded by Config.Timeout (30 s by
// default). A redirect of a POST is followed only when it keeps the method
// and body (307, 308); other redirects fail with the new location in the
// error. A Flex login or a call with DSRemoteCredentials (secrets in the
// body) follows a redirect only to the same scheme, host and port. TLS certificates are verified unless Config.Insecure is set.
//
// # Events
//
// The package never prints. An [EventHandler] sees each request (the
// packet and its bytes), each reply (status, headers, body, packet,
// timings) and notices (URL rewrites, unmatched reply bodies), which is
// how the command line shows -v and -vv output.
package client
