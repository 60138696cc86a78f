module example.com/hello-world

go 1.26.0

toolchain go1.26.8

require example.com/gateway/sdk v1.0.0

require example.com/textkit v1.1.0 // indirect
