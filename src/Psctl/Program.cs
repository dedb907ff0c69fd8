return await ParamServer.Psctl.PsctlApp.RunAsync(args);
