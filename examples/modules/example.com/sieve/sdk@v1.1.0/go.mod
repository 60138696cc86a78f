module example.com/sieve/sdk

go 1.22
