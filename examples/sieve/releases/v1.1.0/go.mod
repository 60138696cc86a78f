module example.com/sieve

go 1.26.0

require example.com/sieve/sdk v1.1.0
