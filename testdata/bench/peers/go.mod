module github.com/amfcall/amfcall/testdata/bench/peers

go 1.26.8

require (
	github.com/amfcall/amfcall v0.0.0
	github.com/gwuhaolin/livego v0.0.0-20220914133149-42d7596e8048
	github.com/nareix/joy4 v0.0.0-20181022032202-3ddbc8f9d431
)

require (
	github.com/konsorten/go-windows-terminal-sequences v1.0.1 // indirect
	github.com/sirupsen/logrus v1.5.0 // indirect
	github.com/tidwall/gjson v1.20.0 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.0 // indirect
	golang.org/x/sys v0.42.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)

replace github.com/amfcall/amfcall => ../../..
