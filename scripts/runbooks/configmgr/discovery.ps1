# SPDX-License-Identifier: ISC
# discovery.ps1 - ConfigMgr configuration item, discovery script for a
# setting of data type String.  It writes one value, which the compliance
# rule compares: "Compliant" when the device is as the cmremedy profile
# wants it, else "NonCompliant: N setting(s) differ".  It exits 0 in both
# cases; any other exit marks the setting as an error in ConfigMgr (cmremedy
# exit 2 bad profile, 3 system error), with cmremedy's message written to
# stderr.
$Cmremedy = Join-Path $env:ProgramFiles 'cmremedy\cmremedy.exe'
$CmProfile  = Join-Path $env:ProgramFiles 'cmremedy\profiles\cmg-connector-verbose-on.ini'

$out = & $Cmremedy check $CmProfile 2>&1
$rc = $LASTEXITCODE
$last = ($out | Select-Object -Last 1) -as [string]
switch ($rc) {
    0 { Write-Output 'Compliant'; exit 0 }
    1 { Write-Output ('NonCompliant: ' + ($last -replace '^not compliant: ', '')); exit 0 }
    default { [Console]::Error.WriteLine("cmremedy check exit ${rc}: $last"); exit $rc }
}
