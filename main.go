// Command amfcall calls AMF (Flash remoting) gateways and converts AMF to
// and from JSON. The command line lives in package commands.
package main

import (
	"os"

	"github.com/amfcall/amfcall/commands"
)

func main() {
	os.Exit(commands.Run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}
