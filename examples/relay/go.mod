module example.com/relay

go 1.26.0

require (
	example.com/logkit v1.1.0
	example.com/relay/sdk v1.0.0
)

require (
	example.com/ckit v1.0.0 // indirect
	example.com/textkit v1.1.0 // indirect
)
