// oldkit's v2 release predates go.mod: this is the file the go command
// synthesizes for it and a proxy serves as the release's .mod. (The file
// also keeps the directory out of scaffold's own module.)
module example.com/oldkit
