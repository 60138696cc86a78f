module example.com/hub/sdk

go 1.22
