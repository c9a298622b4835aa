package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
)

// A tiny gateway: echo.echo returns its first argument, anything else
// fails.
func exampleGateway() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, err := amf.UnmarshalPacket(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		reply := &amf.Packet{}
		for _, m := range req.Messages {
			args := m.Value.(*amf.Array).Dense
			if m.Target == "echo.echo" && len(args) > 0 {
				reply.Messages = append(reply.Messages, amf.Message{Target: m.Response + "/onResult", Response: "null", Value: args[0]})
				continue
			}
			fault := &amf.Object{Members: []amf.Member{
				{Name: "code", Value: "Service.ResourceNotFound"},
				{Name: "description", Value: "Unknown service " + m.Target},
			}}
			reply.Messages = append(reply.Messages, amf.Message{Target: m.Response + "/onStatus", Response: "null", Value: fault})
		}
		out, _ := amf.MarshalPacket(reply)
		w.Header().Set("Content-Type", client.ContentType)
		w.Write(out)
	}))
}

func ExampleClient_Call() {
	gw := exampleGateway()
	defer gw.Close()

	c, err := client.New(gw.URL+"/gateway", client.Config{})
	if err != nil {
		panic(err)
	}
	res, err := c.Call(context.Background(), "echo.echo", []any{"hello"})
	fmt.Printf("%v %v\n", res, err)

	_, err = c.Call(context.Background(), "nosuch.method", nil)
	var fault *client.Fault
	if errors.As(err, &fault) {
		fmt.Println("fault:", fault.Code, "-", fault.Description)
	}
	// Output:
	// hello <nil>
	// fault: Service.ResourceNotFound - Unknown service nosuch.method
}

func ExampleClient_Batch() {
	gw := exampleGateway()
	defer gw.Close()

	c, _ := client.New(gw.URL, client.Config{})
	results, err := c.Batch(context.Background(), []client.Call{
		{Target: "echo.echo", Args: []any{1.5}},
		{Target: "svc.missing"},
	})
	if err != nil {
		panic(err)
	}
	for _, r := range results {
		fmt.Println(r.Response, r.Call.Target, r.Value, r.Err)
	}
	// Output:
	// /1 echo.echo 1.5 <nil>
	// /2 svc.missing <nil> Service.ResourceNotFound: Unknown service svc.missing
}
