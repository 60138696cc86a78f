module example.com/gateway

go 1.26.0

require (
	example.com/gateway/sdk v1.0.0
	example.com/textkit v1.3.0
)

require example.com/jsonkit v1.0.0 // indirect
