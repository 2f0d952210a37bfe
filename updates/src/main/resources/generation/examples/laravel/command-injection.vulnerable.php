<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;

class PingController extends Controller
{
    public function show(Request $request)
    {
        return response(shell_exec('ping -c 1 ' . $request->query('host')));
    }
}
