module example.com/greetkit

go 1.22

require example.com/logkit v1.0.0
