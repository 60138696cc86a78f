module example.com/gateway

go 1.26.0

require example.com/gateway/sdk v0.9.0

require example.com/textkit v1.0.0 // indirect
