# SPDX-License-Identifier: ISC
# remediate.ps1 - Intune Remediations, remediation script: apply the
# cmremedy profile, optionally for a limited time (--for), and pass
# cmremedy's exit code on: 0 changed or already right, 4 failed and rolled
# back (the device is as before), 5 rollback failed (read the report), 2/3
# nothing was changed.  The JSON report and cmremedy.log are in
# %ProgramData%\cmremedy\reports; the output line names the report.
$Cmremedy = Join-Path $env:ProgramFiles 'cmremedy\cmremedy.exe'
$CmProfile  = Join-Path $env:ProgramFiles 'cmremedy\profiles\cmg-connector-verbose-on.ini'
$For      = '4h'      # '' for a change that stays until reverted

$argv = @('apply', $CmProfile)
if ($For) { $argv += @('--for', $For) }
$out = & $Cmremedy @argv 2>&1
$rc = $LASTEXITCODE
# The first line is the outcome ("changed: 1 setting set, ..."), the
# report line comes after the settings; keep both, within Intune's limit.
$lines = @($out | ForEach-Object { [string]$_ })
$summary = @($lines | Select-Object -First 1) +
    @($lines | Where-Object { $_ -like 'report: *' -or $_ -like 'expires: *' -or $_ -like 'cmremedy: *' })
$msg = "cmremedy apply (exit $rc): " + ($summary -join ' | ')
if ($msg.Length -gt 2000) { $msg = $msg.Substring(0, 2000) }
Write-Output $msg
exit $rc
