# SPDX-License-Identifier: ISC
# remediate.ps1 - ConfigMgr configuration item, remediation script (runs
# when the rule finds the setting noncompliant and "Run the specified
# remediation script when this setting is noncompliant" is ticked).  Applies
# the cmremedy profile, optionally for a limited time, and exits with
# cmremedy's code: 0 success; 4 failed and rolled back, 5 rollback failed,
# 2/3 nothing changed - each a remediation failure in ConfigMgr.  The JSON
# report and cmremedy.log are in %ProgramData%\cmremedy\reports.
$Cmremedy = Join-Path $env:ProgramFiles 'cmremedy\cmremedy.exe'
$CmProfile  = Join-Path $env:ProgramFiles 'cmremedy\profiles\cmg-connector-verbose-on.ini'
$For      = ''        # e.g. '4h': the change expires (cmremedy expire)

$argv = @('apply', $CmProfile)
if ($For) { $argv += @('--for', $For) }
$out = & $Cmremedy @argv 2>&1
$rc = $LASTEXITCODE
$out | ForEach-Object { Write-Output ([string]$_) }
exit $rc
