module example.com/gateway

go 1.26.0

require (
	example.com/gateway/sdk v1.0.0
	example.com/textkit v1.4.0
)

require (
	example.com/asmkit v1.1.0 // indirect
	example.com/jsonkit v1.1.0 // indirect
)
