@echo off
rem custodian-mcp.cmd: starts Custodian's stdio MCP bridge, for an MCP client
rem config that names one command. It runs the app's own binary as plain Node
rem (ELECTRON_RUN_AS_NODE=1, which the RunAsNode fuse leaves on) on the bridge
rem bundle beside this file, passing every argument through.
rem Packaged, this file is resources\bridge\custodian-mcp.cmd and the binary is
rem resources\..\Custodian.exe.
setlocal
set "ELECTRON_RUN_AS_NODE=1"
"%~dp0..\..\Custodian.exe" "%~dp0custodian-mcp.js" %*
exit /b %ERRORLEVEL%
